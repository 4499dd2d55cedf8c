package io.jinference.cluster;

import io.jinference.api.HostProfile;
import io.jinference.catalog.ModelCatalog;
import io.jinference.security.ApiKeyFile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as a member of a Pekko cluster: the actor system (Artery over mutual TLS, the split-brain resolver),
 * the three replicated maps (worker inventories, requested models, placements), the supervisor singleton, and this
 * node's worker agent. Started only when {@code jinf serve} is given cluster options; a server without them never
 * loads a Pekko class.
 */
public final class ClusterNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    private static final Duration AGENT_TICK = Duration.ofMillis(500);

    private final ClusterOptions options;
    private final ClusterSecrets secrets;
    private final ActorSystem<Void> system;
    private final Cluster cluster;
    private final String self;
    private final ReplicatedMap workers;
    private final ReplicatedMap requests;
    private final ReplicatedMap placements;
    /** Custom model families registered through any node: family name → its Xinference JSON. */
    private final ReplicatedMap registrations;
    /** API keys made on any node: key id → its role, hash and models (never the key). */
    private final ReplicatedMap apiKeys;
    private final ReplicatedMap bundles;
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jinference-cluster-agent");
        thread.setDaemon(true);
        return thread;
    });
    private WorkerAgent agent;

    private ClusterNode(ClusterOptions options, ClusterSecrets secrets) {
        this.options = options;
        this.secrets = secrets;
        this.system = ActorSystem.create(Behaviors.empty(), PekkoSettings.SYSTEM, PekkoSettings.of(options, secrets));
        this.cluster = Cluster.get(system);
        this.self = cluster.selfMember().address().toString();
        this.workers = new ReplicatedMap(system, "jinference-workers");
        this.requests = new ReplicatedMap(system, "jinference-requests");
        this.placements = new ReplicatedMap(system, "jinference-placements");
        this.registrations = new ReplicatedMap(system, "jinference-registrations");
        this.apiKeys = new ReplicatedMap(system, "jinference-api-keys");
        this.bundles = new ReplicatedMap(system, "jinference-bundles");
    }

    /**
     * Starts the node: it joins the seeds (or forms a cluster on its own), takes part in running the supervisor and
     * publishes its inventory.
     *
     * @param engines the installed engines' labels, read at each publication
     * @param catalog this node's model catalog, which the cluster's registrations are copied into
     * @param keyFile this node's API key file, which the cluster's keys are copied into; null when it runs without
     *     keys (then it neither takes nor gives any)
     * @param bundles this node's engine bundles installed through REST, which the cluster's are copied into
     */
    public static ClusterNode start(ClusterOptions options, ClusterSecrets secrets, HostProfile host,
            Supplier<List<String>> engines, LocalModels models, ModelCatalog catalog, ApiKeyFile keyFile,
            LocalBundles bundles) {
        ClusterNode node = new ClusterNode(options, secrets);
        node.agent = new WorkerAgent(node, models, new WorkerInventory(host, engines, models),
                new RegistrationSync(node, catalog), keyFile == null ? null : new KeySync(node, keyFile),
                new BundleSync(node, bundles));
        ClusterSingleton.get(node.system).init(SingletonActor.of(Supervisor.create(node), "supervisor"));
        node.ticks.scheduleWithFixedDelay(node::tickQuietly, 0, AGENT_TICK.toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("Cluster node {} joins {} (Artery over mutual TLS)", node.self,
                PekkoSettings.seedAddresses(options));
        return node;
    }

    private void tickQuietly() {
        try {
            agent.tick();
        } catch (RuntimeException e) {
            // one bad tick (a replicated entry that does not parse) must not stop the next ones
            LOG.warn("Cluster worker tick failed: {}", e.toString());
        }
    }

    /** This node's Pekko address. */
    public String self() {
        return self;
    }

    public ClusterOptions options() {
        return options;
    }

    /** The bearer key of node-to-node HTTP requests. */
    public String httpKey() {
        return secrets.httpKey();
    }

    ReplicatedMap workers() {
        return workers;
    }

    ReplicatedMap placements() {
        return placements;
    }

    ReplicatedMap registrations() {
        return registrations;
    }

    ReplicatedMap apiKeys() {
        return apiKeys;
    }

    ReplicatedMap bundles() {
        return bundles;
    }

    /**
     * Replicates a custom family this node has just registered, to a majority of the nodes (the others get it by
     * gossip); every node copies it into its catalog.
     */
    public CompletionStage<Boolean> register(String name, String familyJson) {
        return registrations.putMajority(name, familyJson);
    }

    /** Removes a custom family from every node's catalog. */
    public CompletionStage<Boolean> unregister(String name) {
        return registrations.removeMajority(name);
    }

    /** The cluster as this node sees it now. */
    public ClusterSnapshot snapshot() {
        ClusterEvent.CurrentClusterState state = cluster.state();
        Set<Member> unreachable = state.getUnreachable();
        List<Member> members = new ArrayList<>();
        state.getMembers().forEach(members::add);
        Member oldest = null;
        for (Member member : members) {
            if (member.status() == MemberStatus.up() && !unreachable.contains(member)
                    && (oldest == null || member.isOlderThan(oldest))) {
                oldest = member;
            }
        }
        String leader = state.getLeader() == null ? null : state.getLeader().toString();
        List<MemberInfo> infos = new ArrayList<>();
        for (Member member : members) {
            String address = member.address().toString();
            List<String> roles = new ArrayList<>();
            if (member == oldest) {
                roles.add("supervisor");
            }
            if (address.equals(leader)) {
                roles.add("leader");
            }
            roles.add("worker");
            infos.add(new MemberInfo(address, member.status().toString().toLowerCase(Locale.ROOT),
                    !unreachable.contains(member), roles));
        }
        boolean joined = !system.getWhenTerminated().toCompletableFuture().isDone() && cluster.selfMember().status() == MemberStatus.up();
        return new ClusterSnapshot(self, joined, oldest == null ? null : oldest.address().toString(), infos,
                parse(workers, WorkerInfo.class), parse(requests, ModelRequest.class),
                parse(placements, Placement.class));
    }

    private static <T> Map<String, T> parse(ReplicatedMap map, Class<T> type) {
        Map<String, T> parsed = new LinkedHashMap<>();
        map.entries().forEach((key, json) -> parsed.put(key, ClusterJson.read(json, type)));
        return parsed;
    }

    /** Asks the cluster to run a model; completes false when no majority of the nodes confirmed it in time. */
    public CompletionStage<Boolean> request(ModelRequest request) {
        return requests.putMajority(request.uid(), ClusterJson.write(request));
    }

    /** Forgets a model: the supervisor drops its placement and its worker terminates it. */
    public CompletionStage<Boolean> forget(String uid) {
        return requests.removeMajority(uid);
    }

    /** Waits for the supervisor to decide on a model, at most {@code timeout}; null when it did not in time. */
    public Placement awaitPlacement(String uid, int generationAbove, Duration timeout) {
        return await(timeout, cluster -> {
            Placement placement = cluster.placements().get(uid);
            return placement != null && placement.generation() > generationAbove ? placement : null;
        });
    }

    /** Waits until {@code check} answers non-null or the time is up (then null). */
    public <T> T await(Duration timeout, Function<ClusterSnapshot, T> check) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T answer = check.apply(snapshot());
            if (answer != null || System.nanoTime() > deadline) {
                return answer;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    /** Leaves the cluster gracefully (its models move), then stops the actor system. */
    @Override
    public void close() {
        ticks.shutdownNow();
        agent.close();
        // terminating runs Pekko's coordinated shutdown, whose first phases leave the cluster gracefully
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("The cluster node did not stop within 15 s: {}", e.toString());
        }
    }
}
