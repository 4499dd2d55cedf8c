package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.cluster.ClusterNode;
import io.jinference.cluster.LocalBundles;
import io.jinference.cluster.ReplicatedBundle;
import io.jinference.hotplug.EngineBundles.KeptBundle;
import io.jinference.launcher.EngineHotplug;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The engine bundles installed through REST, as the cluster replicates them: this node's hot-plug store behind
 * {@link LocalBundles}, and {@code GET /v1/cluster/bundles/{sha256}}, from which the other nodes fetch a jar. The
 * route answers only the cluster's own key (whether or not the server has API keys); a fetched jar must have the
 * replicated SHA-256 and then goes through the same install, signer rules included, as a REST upload.
 */
public final class ClusterBundles implements LocalBundles {
    private static final String ROUTE = "/v1/cluster/bundles/{sha256}";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final Duration FETCH_TIMEOUT = Duration.ofMinutes(2);

    private final EngineHotplug hotplug;
    private final Path staging;
    private final long maxBytes;
    /** Set once the node has started: the node needs this object first. */
    private volatile ClusterNode node;

    /**
     * @param staging a folder of the server's home where fetched jars wait for their check
     * @param maxBytes the largest jar fetched (the server's upload limit)
     */
    public ClusterBundles(EngineHotplug hotplug, Path staging, long maxBytes) {
        this.hotplug = hotplug;
        this.staging = staging;
        this.maxBytes = maxBytes;
    }

    /** Registers the route the other nodes fetch jars from. */
    public void register(RoutesConfig routes, ClusterNode clusterNode) {
        this.node = clusterNode;
        routes.get(ROUTE, this::serve);
    }

    @Override
    public Map<String, ReplicatedBundle> installed() {
        Map<String, ReplicatedBundle> installed = new LinkedHashMap<>();
        for (KeptBundle kept : hotplug.bundles().keptAcrossRestarts()) {
            installed.put(kept.sha256(), new ReplicatedBundle(kept.sha256(), kept.info().symbolicName(),
                    kept.info().version()));
        }
        return installed;
    }

    @Override
    public void install(ReplicatedBundle bundle, List<String> nodes) {
        List<String> tried = new ArrayList<>();
        for (String http : nodes) {
            Optional<Path> jar;
            try {
                jar = fetch(http, bundle.sha256());
            } catch (IOException e) {
                tried.add(http + ": " + e.getMessage());
                continue;
            }
            if (jar.isEmpty()) {
                tried.add(http + ": does not have it");
                continue;
            }
            try (InputStream in = Files.newInputStream(jar.get())) {
                hotplug.bundles().install(bundle.symbolicName() + " " + bundle.version() + " from the cluster", in,
                        true);
                return;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteQuietly(jar.get());
            }
        }
        throw new IllegalStateException("no other node served the jar (" + (tried.isEmpty() ? "no other node is up"
                : String.join("; ", tried)) + ")");
    }

    @Override
    public void remove(String sha256) {
        kept(sha256).ifPresent(kept -> hotplug.bundles().remove(kept.info().id()));
    }

    private Optional<KeptBundle> kept(String sha256) {
        return hotplug.bundles().keptAcrossRestarts().stream().filter(kept -> kept.sha256().equals(sha256))
                .findFirst();
    }

    /** The jar in a staging file whose SHA-256 was checked; empty when that node does not have it. */
    private Optional<Path> fetch(String http, String sha256) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http + "/v1/cluster/bundles/" + sha256))
                .header("Authorization", "Bearer " + node.httpKey()).header(ClusterRoutes.HOP_HEADER, node.self())
                .timeout(FETCH_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new IOException("answered " + response.statusCode());
            }
            Files.createDirectories(staging);
            Path staged = Files.createTempFile(staging, "fetched-", ".jar");
            try (DigestInputStream digesting = new DigestInputStream(new LimitedInputStream(body, maxBytes),
                    sha256Digest())) {
                Files.copy(digesting, staged, StandardCopyOption.REPLACE_EXISTING);
                String actual = HexFormat.of().formatHex(digesting.getMessageDigest().digest());
                if (!actual.equals(sha256)) {
                    throw new IOException("sent a jar whose SHA-256 is " + actual + ", not " + sha256);
                }
                return Optional.of(staged);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(staged);
                throw e;
            }
        }
    }

    private void serve(Context ctx) {
        byte[] expected = ("Bearer " + node.httpKey()).getBytes(StandardCharsets.UTF_8);
        String given = ctx.header("Authorization");
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiError(401, "Only the cluster's nodes fetch bundle jars: send the cluster key");
        }
        String sha256 = ctx.pathParam("sha256");
        if (!sha256.matches("[0-9a-f]{64}")) {
            throw ApiError.badParameter("sha256", "A bundle's SHA-256 is 64 lowercase hex digits");
        }
        KeptBundle kept = kept(sha256).orElseThrow(() -> new ApiError(404, "No bundle installed here through "
                + "REST has that SHA-256"));
        try {
            ctx.contentType("application/java-archive");
            ctx.result(Files.newInputStream(kept.jar()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // a staging file left behind is overwritten by nothing and harmless
        }
    }
}
