package io.jinference.launcher.cli;

import io.jinference.cluster.ClusterOptions;
import io.jinference.cluster.ClusterSecrets;
import io.jinference.hub.HubSettings;
import io.jinference.launcher.Distribution;
import io.jinference.launcher.JinferenceHome;
import io.jinference.launcher.JinferenceServer;
import io.jinference.hotplug.JarTrust;
import io.jinference.launcher.rest.RestSecurity;
import io.jinference.runtime.ChatTemplateRendering;
import io.jinference.security.AccessPolicy;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.ApiKeys;
import io.jinference.security.BindPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "serve", description = "Start the Jinference server (Felix with the engine bundles, REST API).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE})")
    String host;
    @Option(names = "--port", defaultValue = "9997", description = "Port (default: ${DEFAULT-VALUE})")
    int port;
    @Option(names = "--home", description = "Jinference home (default: $JINFERENCE_HOME, else ~/.jinference)")
    Path home;
    @Option(names = "--host-profile",
            description = "Serve as if on this host: a preset (linux-x86_64-cuda, …), JSON or a JSON file")
    String hostProfile;

    @Option(names = "--api-key-file", description = "API keys (made by 'jinf keys create'): every route but /status "
            + "then needs 'Authorization: Bearer <key>'")
    Path apiKeyFile;
    @Option(names = "--users-may-launch", description = "Let user keys launch and terminate the models they may use")
    boolean usersMayLaunch;
    @Option(names = "--insecure", description = "Listen on a non-loopback address without API keys")
    boolean insecure;
    @Option(names = "--cors-origins", split = ",", description = "Web origins allowed to call from a browser "
            + "(default: none)")
    List<String> corsOrigins;
    @Option(names = "--max-body-bytes", defaultValue = "8388608", description = "Largest JSON body "
            + "(default: ${DEFAULT-VALUE})")
    long maxBodyBytes;
    @Option(names = "--max-upload-bytes", defaultValue = "268435456", description = "Largest bundle jar upload "
            + "(default: ${DEFAULT-VALUE})")
    long maxUploadBytes;
    @Option(names = "--idle-timeout-seconds", defaultValue = "60", description = "Close connections idle this long "
            + "(default: ${DEFAULT-VALUE})")
    long idleTimeoutSeconds;
    @Option(names = "--header-timeout-seconds", defaultValue = "30", description = "Close connections still sending "
            + "one request's headers after this long, however slowly they trickle in (default: ${DEFAULT-VALUE})")
    long headerTimeoutSeconds;
    @Option(names = "--trusted-signers", description = "Key store (PKCS12 or JKS) of the certificates whose signed "
            + "jars may be installed; its password, if any, in $JINFERENCE_TRUSTED_SIGNERS_PASSWORD")
    Path trustedSigners;

    @Option(names = "--cluster-port", description = "Join a cluster: this node's port for the other nodes "
            + "(Pekko Artery over mutual TLS). Without it the server serves alone.")
    Integer clusterPort;
    @Option(names = "--cluster-seed", split = ",", description = "host:port of cluster nodes to join (comma "
            + "separated); without seeds this node starts a new cluster")
    List<String> clusterSeeds;
    @Option(names = "--cluster-host", description = "The address the other nodes reach this one at (default: --host)")
    String clusterHost;
    @Option(names = "--cluster-dir", description = "The folder 'jinf cluster init' made, copied to this node "
            + "(default: <home>/cluster)")
    Path clusterDir;

    @Spec
    CommandSpec spec;

    private final ChatTemplateRendering templates;

    public ServeCommand(ChatTemplateRendering templates) {
        this.templates = templates;
    }

    /**
     * Runs until the process is told to stop (SIGTERM, Ctrl-C): the shutdown hook then stops REST, terminates the
     * models and stops Felix, and the JVM exits even though Felix and llama.cpp leave non-daemon threads.
     */
    private RestSecurity security() {
        AccessPolicy access = new AccessPolicy(apiKeyFile == null ? null : new ApiKeys(new ApiKeyFile(apiKeyFile)),
                usersMayLaunch);
        if (clusterPort != null) {
            access = access.withClusterKey(ClusterSecrets.load(clusterDir).httpKey());
        }
        RestSecurity security = RestSecurity.open().withAccess(access)
                .withLimits(maxBodyBytes, maxUploadBytes, Duration.ofSeconds(idleTimeoutSeconds))
                .withHeaderTimeout(Duration.ofSeconds(headerTimeoutSeconds))
                .withCorsOrigins(corsOrigins == null ? List.of() : corsOrigins);
        if (trustedSigners != null) {
            String password = System.getenv("JINFERENCE_TRUSTED_SIGNERS_PASSWORD");
            security = security.withJarTrust(JarTrust.fromKeyStore(trustedSigners,
                    password == null ? null : password.toCharArray()));
        }
        return security;
    }

    /** The cluster options, or null without {@code --cluster-port}; checks that the cluster's secrets are there. */
    private ClusterOptions cluster(Path resolvedHome) {
        if (clusterPort == null) {
            if (clusterSeeds != null || clusterHost != null || clusterDir != null) {
                throw new IllegalArgumentException("--cluster-seed, --cluster-host and --cluster-dir need --cluster-port");
            }
            return null;
        }
        if (clusterDir == null) {
            clusterDir = resolvedHome.resolve("cluster");
        }
        ClusterSecrets.load(clusterDir);
        if (clusterHost == null && (host.equals("0.0.0.0") || host.equals("::"))) {
            throw new IllegalArgumentException("--host " + host + " listens on every address: give --cluster-host, "
                    + "the one the other nodes reach this node at");
        }
        return new ClusterOptions(clusterHost == null ? host : clusterHost, clusterPort,
                clusterSeeds == null ? List.of() : clusterSeeds, clusterDir, port);
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            BindPolicy.check(host, apiKeyFile != null, insecure);
        } catch (IllegalStateException refused) {
            spec.commandLine().getErr().println(refused.getMessage());
            return 2;
        }
        Path resolvedHome = JinferenceHome.resolve(home);
        ClusterOptions cluster;
        try {
            cluster = cluster(resolvedHome);
        } catch (IllegalArgumentException refused) {
            spec.commandLine().getErr().println(refused.getMessage());
            return 2;
        }
        JinferenceServer server = JinferenceServer.start(resolvedHome,
                Distribution.locate().bundleFolders(resolvedHome), host, port, hostProfile, templates, security(),
                insecure, HubSettings.fromEnvironment(), cluster);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "jinference-shutdown"));
        new CountDownLatch(1).await();
        return 0;
    }
}
