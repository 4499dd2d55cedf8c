package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import io.jinference.catalog.ModelCatalog;
import io.jinference.security.ApiKey;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.ApiKeys;
import io.jinference.security.Role;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three cluster nodes in this JVM on loopback (real Pekko: Artery over mutual TLS, Distributed Data, the supervisor
 * singleton), each with a recording stand-in for its model manager: they form a cluster, share inventories,
 * placements, registrations and API keys, a node with another cluster's certificate is kept out, and the supervisor moves when
 * its node leaves. The launcher's process tests cover real models and kill -9.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
final class ClusterNodesTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final long MIB = 1024L * 1024;

    @TempDir
    static Path dir;
    static final List<ClusterNode> nodes = new ArrayList<>();
    static final List<RecordingLocalModels> models = new ArrayList<>();
    static final List<ModelCatalog> catalogs = new ArrayList<>();
    static final List<ApiKeyFile> keyFiles = new ArrayList<>();
    static final List<RecordingLocalBundles> bundles = new ArrayList<>();
    static int seedPort;

    @BeforeAll
    static void start() {
        Path secrets = dir.resolve("cluster");
        ClusterSecrets.init(secrets);
        seedPort = freePort();
        for (int i = 0; i < 3; i++) {
            nodes.add(node(i, secrets, i == 0 ? seedPort : freePort()));
        }
    }

    private static ClusterNode node(int index, Path secrets, int port) {
        RecordingLocalModels local = new RecordingLocalModels();
        ModelCatalog catalog = ModelCatalog.open(dir.resolve("home-" + index + "-" + port));
        ApiKeyFile keys = new ApiKeyFile(dir.resolve("home-" + index + "-" + port).resolve("api-keys.json"));
        models.add(local);
        catalogs.add(catalog);
        keyFiles.add(keys);
        HostProfile host = new HostProfile("linux", "x86_64", 4, (index + 1) * 256 * MIB, List.of(), List.of(), false,
                false);
        ClusterOptions options = new ClusterOptions("127.0.0.1", port, List.of("127.0.0.1:" + seedPort), secrets,
                9000 + index);
        RecordingLocalBundles localBundles = new RecordingLocalBundles(options.httpUrl());
        bundles.add(localBundles);
        return ClusterNode.start(options, ClusterSecrets.load(secrets), host,
                () -> List.of("llama.cpp 0.1.0 (server)"), local, catalog, keys, localBundles);
    }

    @AfterAll
    static void stop() {
        nodes.forEach(ClusterNode::close);
    }

    @Test
    @Order(1)
    void threeNodesFormAClusterAndEachSeesEveryInventory() {
        for (ClusterNode node : nodes) {
            ClusterSnapshot seen = node.await(WAIT, cluster -> cluster.liveWorkers().size() == 3 ? cluster : null);
            assertThat(seen).as("node %s sees 3 live workers: %s", node.self(), node.snapshot()).isNotNull();
            assertThat(seen.members()).allSatisfy(member -> assertThat(member.status()).isEqualTo("up"));
            assertThat(seen.supervisor()).isEqualTo(nodes.get(0).self());
            assertThat(seen.workers().get(nodes.get(2).self()).memoryTotalBytes()).isEqualTo(768 * MIB);
        }
    }

    @Test
    @Order(2)
    void aModelRequestedThroughOneNodeIsPlacedByMemoryAndLaunchedByItsWorker() {
        ModelRequest request = new ModelRequest("big-1", Map.of("model_name", "smollm2-instruct"),
                Map.of("total_bytes", 600 * MIB), nodes.get(1).self());
        assertThat(nodes.get(1).request(request).toCompletableFuture().join()).isTrue();
        Placement placement = nodes.get(0).awaitPlacement("big-1", 0, WAIT);
        assertThat(placement).isNotNull();
        // 600 MiB fit only the third node's 768 MiB (the others have 256 and 512)
        assertThat(placement.node()).isEqualTo(nodes.get(2).self());
        assertThat(placement.why()).contains("needs 600.0 MiB").contains("only 512.0 MiB free");
        assertThat(eventually(nodes.get(1), cluster -> cluster.holder("big-1") != null
                && cluster.holder("big-1").model("big-1") != null)).isTrue();
        assertThat(models.get(2).holds("big-1")).isTrue();

        assertThat(nodes.get(0).forget("big-1").toCompletableFuture().join()).isTrue();
        assertThat(eventually(nodes.get(2), cluster -> !models.get(2).holds("big-1"))).isTrue();
    }

    @Test
    @Order(3)
    void aRegistrationMadeOnOneNodeReachesEveryCatalog() {
        String family = """
                {"version": 2, "model_name": "cluster-tiny", "context_length": 256, "model_lang": ["en"],
                 "model_ability": ["chat", "generate"], "model_family": "smollm2-instruct",
                 "model_specs": [{"model_format": "ggufv2", "model_size_in_billions": "0_135",
                   "quantization": "q4_1", "model_uri": "file:///tmp/cluster-tiny.gguf"}]}""";
        assertThat(nodes.get(2).register("cluster-tiny", family).toCompletableFuture().join()).isTrue();
        for (ModelCatalog catalog : catalogs) {
            assertThat(eventually(nodes.get(0), cluster -> catalog.find("cluster-tiny").isPresent()))
                    .as("every node's catalog has the family").isTrue();
        }
        assertThat(nodes.get(0).unregister("cluster-tiny").toCompletableFuture().join()).isTrue();
        for (ModelCatalog catalog : catalogs) {
            assertThat(eventually(nodes.get(0), cluster -> catalog.find("cluster-tiny").isEmpty()))
                    .isTrue();
        }
    }

    @Test
    @Order(3)
    void aKeyCreatedOnOneNodeIsAcceptedByEveryNodeAndARevocationReachesAll() {
        String key = keyFiles.get(1).create(Role.USER, List.of("smol"));
        for (ApiKeyFile file : keyFiles) {
            assertThat(eventually(nodes.get(0), cluster -> new ApiKeys(file).authenticate(key).isPresent()))
                    .as("%s accepts the key made on node 1", file.path()).isTrue();
        }
        ApiKey copied = new ApiKeys(keyFiles.get(2)).authenticate(key).orElseThrow();
        assertThat(copied.role()).isEqualTo(Role.USER);
        assertThat(copied.models()).containsExactly("smol");

        assertThat(keyFiles.get(2).revoke(copied.id())).isTrue();
        for (ApiKeyFile file : keyFiles) {
            assertThat(eventually(nodes.get(0), cluster -> new ApiKeys(file).authenticate(key).isEmpty()))
                    .as("%s no longer accepts the key revoked on node 2", file.path()).isTrue();
        }
        // it stays revoked: no node copies it back from a stale view
        sleep(3000);
        assertThat(keyFiles).allSatisfy(file -> assertThat(file.read()).isEmpty());
    }

    @Test
    @Order(3)
    void aBundleInstalledOnOneNodeReachesEveryNodeAndARemovalReachesAll() {
        byte[] jar = "stands in for an engine bundle's jar".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ReplicatedBundle bundle = bundles.get(1).installHere("io.example.engine", "1.0.0", jar);
        for (RecordingLocalBundles store : bundles) {
            assertThat(eventually(nodes.get(0), cluster -> store.has(bundle.sha256())))
                    .as("every node fetched the jar installed on node 1").isTrue();
        }
        bundles.get(2).remove(bundle.sha256());
        for (RecordingLocalBundles store : bundles) {
            assertThat(eventually(nodes.get(0), cluster -> !store.has(bundle.sha256())))
                    .as("every node removed the bundle removed on node 2").isTrue();
        }
        // it stays removed: no node fetches it back from a stale view
        sleep(3000);
        assertThat(bundles).allSatisfy(store -> assertThat(store.has(bundle.sha256())).isFalse());
    }

    @Test
    @Order(4)
    void aNodeWithAnotherClustersCertificateCannotJoin() {
        Path otherSecrets = dir.resolve("other-cluster");
        ClusterSecrets.init(otherSecrets);
        ClusterNode stranger = ClusterNode.start(new ClusterOptions("127.0.0.1", freePort(),
                        List.of("127.0.0.1:" + seedPort), otherSecrets, 9100),
                ClusterSecrets.load(otherSecrets), new HostProfile("linux", "x86_64", 1, 256 * MIB, List.of(), List.of(),
                        false, false), List::of, new RecordingLocalModels(), ModelCatalog.open(dir.resolve("stranger")), null,
                new RecordingLocalBundles("http://127.0.0.1:9100"));
        try {
            // A bounded wait for something that must not happen: the handshake fails on every attempt (Pekko retries
            // joining every few seconds), so after several attempts the stranger is still alone.
            sleep(TimeUnit.SECONDS.toMillis(15));
            assertThat(stranger.snapshot().joined()).isFalse();
            assertThat(nodes.get(0).snapshot().members()).hasSize(3)
                    .noneMatch(member -> member.node().equals(stranger.self()));
        } finally {
            stranger.close();
        }
    }

    @Test
    @Order(5)
    void theSupervisorMovesWhenItsNodeLeaves() {
        ClusterNode first = nodes.remove(0);
        first.close();
        // the next oldest node takes it: nodes 1 and 2 joined the seed at the same time, so either may be older
        List<String> remaining = nodes.stream().map(ClusterNode::self).toList();
        for (ClusterNode node : nodes) {
            assertThat(eventually(node, cluster -> remaining.contains(cluster.supervisor())
                    && cluster.liveWorkers().size() == 2))
                    .as("node %s sees the supervisor on one of the remaining nodes: %s", node.self(), node.snapshot())
                    .isTrue();
        }
        assertThat(nodes.get(0).snapshot().supervisor()).isEqualTo(nodes.get(1).snapshot().supervisor());
        ModelRequest request = new ModelRequest("after-move", Map.of("model_name", "smollm2-instruct"),
                Map.of("total_bytes", 100 * MIB), nodes.get(1).self());
        assertThat(nodes.get(1).request(request).toCompletableFuture().join()).isTrue();
        assertThat(nodes.get(1).awaitPlacement("after-move", 0, WAIT)).isNotNull()
                .satisfies(placement -> assertThat(placement.placed()).isTrue());
    }

    /** A bounded wait for a condition on the cluster as {@code node} sees it; false when it did not come true. */
    private static boolean eventually(ClusterNode node, java.util.function.Predicate<ClusterSnapshot> condition) {
        Boolean met = node.await(WAIT, cluster -> condition.test(cluster) ? Boolean.TRUE : null);
        return met != null;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
