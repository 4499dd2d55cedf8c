package io.jinference.launcher;

import io.jinference.api.HostProfile;
import io.jinference.cluster.ClusterNode;
import io.jinference.cluster.ClusterOptions;
import io.jinference.cluster.ClusterSecrets;
import io.jinference.hub.CacheInventory;
import io.jinference.hub.HubModelFiles;
import io.jinference.hub.HubSettings;
import io.jinference.hub.LaunchDownloads;
import io.jinference.hub.ModelHub;
import io.jinference.launcher.rest.ClusterBundles;
import io.jinference.launcher.rest.ClusterLocalModels;
import io.jinference.launcher.rest.ClusterOfOne;
import io.jinference.launcher.rest.ClusterRoutes;
import io.jinference.launcher.rest.ConsoleRoutes;
import io.jinference.launcher.rest.LaunchFit;
import io.jinference.launcher.rest.EngineBundlesHandler;
import io.jinference.launcher.rest.HubHandler;
import io.jinference.launcher.rest.Observed;
import io.jinference.metrics.DownloadState;
import io.jinference.metrics.EngineBundleState;
import io.jinference.metrics.ServerMetrics;
import io.jinference.launcher.rest.RestSecurity;
import io.jinference.launcher.rest.RestServer;
import io.jinference.modelhost.ModelHostCommand;
import io.jinference.modelhost.ModelHosts;
import io.jinference.process.ProcessSupervisor;
import io.jinference.registry.EngineDescriptor;
import io.jinference.runtime.ChatTemplateRendering;
import io.jinference.runtime.ModelManager;
import io.jinference.security.BindPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole Jinference server: the engine world (Felix, registry, catalog, selector), the model manager and the
 * REST API. {@link #close()} shuts down in order: REST first (no new requests), then the models, then Felix.
 */
public final class JinferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JinferenceServer.class);
    /** System property: seconds requests in flight may run on once their engine bundle starts stopping. */
    public static final String DRAIN_TIMEOUT_PROPERTY = "jinference.drain.timeout.seconds";

    /**
     * The model host's JVM: the serial collector (a model host serves one model, and its heap stays small; the native
     * engine holds the weights outside the heap) and the server's log level.
     */
    private static final List<String> MODEL_HOST_JVM_OPTIONS = List.of("-XX:+UseSerialGC",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=" + System.getProperty("org.slf4j.simpleLogger.defaultLogLevel",
                    "info"));

    private final EngineWorld world;
    private final ModelManager models;
    private final RestServer rest;
    private final EngineHotplug hotplug;
    private final ServerMetrics metrics;
    /** Null when the server serves alone. */
    private final ClusterNode cluster;

    private JinferenceServer(EngineWorld world, ModelManager models, RestServer rest, EngineHotplug hotplug,
            ServerMetrics metrics, ClusterNode cluster) {
        this.metrics = metrics;
        this.cluster = cluster;
        this.world = world;
        this.models = models;
        this.rest = rest;
        this.hotplug = hotplug;
    }

    /**
     * Starts a server.
     *
     * @param home the Jinference home (registrations, felix cache, model work folders, extra bundles)
     * @param bundleFolders folders whose bundle jars are installed and started, in order
     * @param hostProfile null to probe this machine, else a preset name, JSON or a JSON file
     */
    public static JinferenceServer start(Path home, List<Path> bundleFolders, String bindHost, int port,
            String hostProfile, ChatTemplateRendering templates) {
        return start(home, bundleFolders, bindHost, port, hostProfile, templates, RestSecurity.open(), false,
                HubSettings.fromEnvironment());
    }

    /** @param hubSettings where launches without local files download them from (the environment's by default) */
    public static JinferenceServer start(Path home, List<Path> bundleFolders, String bindHost, int port,
            String hostProfile, ChatTemplateRendering templates, HubSettings hubSettings) {
        return start(home, bundleFolders, bindHost, port, hostProfile, templates, RestSecurity.open(), false,
                hubSettings);
    }

    /**
     * Starts a server guarded by {@code security}; refuses a non-loopback address without keys (see
     * {@link BindPolicy}) unless {@code insecure}.
     */
    public static JinferenceServer start(Path home, List<Path> bundleFolders, String bindHost, int port,
            String hostProfile, ChatTemplateRendering templates, RestSecurity security, boolean insecure) {
        return start(home, bundleFolders, bindHost, port, hostProfile, templates, security, insecure,
                HubSettings.fromEnvironment());
    }

    public static JinferenceServer start(Path home, List<Path> bundleFolders, String bindHost, int port,
            String hostProfile, ChatTemplateRendering templates, RestSecurity security, boolean insecure,
            HubSettings hubSettings) {
        return start(home, bundleFolders, bindHost, port, hostProfile, templates, security, insecure, hubSettings,
                null);
    }

    /**
     * The whole server: every other {@code start} fills in defaults for this one.
     *
     * @param cluster the cluster to join, or null to serve alone (then no cluster class is loaded)
     */
    public static JinferenceServer start(Path home, List<Path> bundleFolders, String bindHost, int port,
            String hostProfile, ChatTemplateRendering templates, RestSecurity security, boolean insecure,
            HubSettings hubSettings, ClusterOptions cluster) {
        BindPolicy.check(bindHost, security.access().enabled(), insecure);
        HostProfile host = EngineWorld.host(hostProfile);
        EngineWorld world = EngineWorld.start(home, home.resolve("felix-cache"), bundleFolders.stream()
                .filter(folder -> !folder.equals(EngineHotplug.watchedFolder(home))).toList());
        try {
            ModelHub hub = new ModelHub(hubSettings);
            LaunchDownloads downloads = new LaunchDownloads();
            ModelManager models = new ModelManager(world.selector(), world.registry(), host, home, templates,
                    drainTimeout(), modelHosts(), new ProcessSupervisor(home), new HubModelFiles(home, hub, downloads));
            world.bundleContext().addBundleListener(new EngineBundleModels(models));
            EngineHotplug hotplug = EngineHotplug.start(world, home, security.jarTrust());
            ServerMetrics metrics = metrics(models, hotplug, downloads);
            ClusterBundles clusterBundles = new ClusterBundles(hotplug, home.resolve("cluster-bundles"),
                    security.maxUploadBytes());
            ClusterNode node = cluster == null ? null : ClusterNode.start(cluster,
                    ClusterSecrets.load(cluster.secrets()), host, () -> world.registry().descriptors().stream()
                            .map(EngineDescriptor::label).toList(), new ClusterLocalModels(models),
                    world.catalog(), security.access().keyFile().orElse(null), clusterBundles);
            RestServer rest = RestServer.start(bindHost, port, world.catalog(), world.selector(), world.registry(),
                    host, models, routes -> {
                        Observed.register(routes, metrics);
                        ConsoleRoutes.register(routes, models);
                        EngineBundlesHandler.register(routes, hotplug, models, security.maxUploadBytes());
                        HubHandler.register(routes, models, downloads, new CacheInventory(hub.hfCache()),
                                world.catalog());
                        if (node == null) {
                            LaunchFit.register(routes, host);
                            ClusterOfOne.register(routes, host, models);
                        } else {
                            ClusterRoutes.register(routes, node, models, world.catalog());
                            clusterBundles.register(routes, node);
                        }
                    }, security);
            LOG.info("Jinference serves on http://{} (home {})", rest.address(), home);
            return new JinferenceServer(world, models, rest, hotplug, metrics, node);
        } catch (RuntimeException e) {
            world.close();
            throw e;
        }
    }

    /** The metrics of models, engine bundles and launch downloads, read at each scrape. */
    private static ServerMetrics metrics(ModelManager models, EngineHotplug hotplug, LaunchDownloads downloads) {
        return new ServerMetrics(models, () -> hotplug.bundles().list().stream()
                .map(bundle -> new EngineBundleState(bundle.id(), bundle.symbolicName(), bundle.version(),
                        bundle.state().toLowerCase(Locale.ROOT))).toList(),
                () -> downloads.all().entrySet().stream().map(download -> new DownloadState(download.getKey(),
                        download.getValue().stage().name().toLowerCase(Locale.ROOT), download.getValue().doneBytes(),
                        download.getValue().totalBytes())).toList());
    }

    /**
     * How long requests in flight may finish once their engine bundle stops: the system property
     * {@value #DRAIN_TIMEOUT_PROPERTY} in seconds, else {@link ModelManager#DEFAULT_DRAIN_TIMEOUT}.
     */
    static Duration drainTimeout() {
        String seconds = System.getProperty(DRAIN_TIMEOUT_PROPERTY);
        if (seconds == null || seconds.isBlank()) {
            return ModelManager.DEFAULT_DRAIN_TIMEOUT;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(seconds.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(DRAIN_TIMEOUT_PROPERTY + " must be a number of seconds, got '"
                    + seconds + "'", e);
        }
    }

    /**
     * Engines with natives run each model in a model host: this JVM's own java and class path, with
     * {@link ModelHostMain} as its entry point.
     */
    private static ModelHosts modelHosts() {
        return new ModelHosts(ModelHostCommand.ofThisJvm(ModelHostMain.class.getName(), MODEL_HOST_JVM_OPTIONS));
    }

    public int port() {
        return rest.port();
    }

    /** Every registered REST route as {@code METHOD path-template}. */
    public List<String> routes() {
        return rest.routes();
    }

    public ModelManager models() {
        return models;
    }

    /** The embedded Felix's context, for tests that install an engine bundle of their own. */
    org.osgi.framework.BundleContext bundleContext() {
        return world.bundleContext();
    }

    @Override
    public void close() {
        LOG.info("Jinference shutting down");
        rest.close();
        if (cluster != null) {
            cluster.close();
        }
        hotplug.close();
        models.close();
        metrics.close();
        world.close();
    }
}
