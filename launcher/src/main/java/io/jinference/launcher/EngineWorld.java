package io.jinference.launcher;

import io.jinference.api.HostProfile;
import io.jinference.catalog.ModelCatalog;
import io.jinference.host.HostProbe;
import io.jinference.host.HostProfiles;
import io.jinference.registry.EngineRegistry;
import io.jinference.registry.SelectionPolicy;
import io.jinference.registry.Selector;
import java.nio.file.Path;
import java.util.List;

/**
 * The OSGi side of a running Jinference: Felix with the engine bundles, the engine registry tracking them, the
 * model catalog and the selector. The server adds models and REST on top; {@code jinf engines} without a server
 * uses it alone.
 */
public final class EngineWorld implements AutoCloseable {
    private final EmbeddedFelix felix;
    private final EngineRegistry registry;
    private final ModelCatalog catalog;
    private final Selector selector;

    private EngineWorld(EmbeddedFelix felix, EngineRegistry registry, ModelCatalog catalog, Selector selector) {
        this.felix = felix;
        this.registry = registry;
        this.catalog = catalog;
        this.selector = selector;
    }

    /** Starts Felix with its cache in {@code felixStorage} and the bundles of {@code bundleFolders}. */
    public static EngineWorld start(Path home, Path felixStorage, List<Path> bundleFolders) {
        return around(EmbeddedFelix.start(felixStorage, EngineHotplug.fileInstallProperties(home), bundleFolders),
                home);
    }

    /** Starts Felix with exactly these bundle jars (a model host: one engine and what it is wired to). */
    static EngineWorld startWithJars(Path home, Path felixStorage, List<Path> bundleJars) {
        return around(EmbeddedFelix.startWithJars(felixStorage, java.util.Map.of("jinference.home", home.toString()),
                bundleJars), home);
    }

    private static EngineWorld around(EmbeddedFelix felix, Path home) {
        try {
            EngineRegistry registry = new EngineRegistry(felix.context());
            registry.open();
            ModelCatalog catalog = ModelCatalog.open(home);
            return new EngineWorld(felix, registry, catalog,
                    new Selector(registry, catalog, SelectionPolicy.defaults()));
        } catch (RuntimeException e) {
            felix.close();
            throw e;
        }
    }

    EngineRegistry registry() {
        return registry;
    }

    ModelCatalog catalog() {
        return catalog;
    }

    org.osgi.framework.BundleContext bundleContext() {
        return felix.context();
    }

    public Selector selector() {
        return selector;
    }

    @Override
    public void close() {
        registry.close();
        felix.close();
    }

    /** The probed host, or the given profile (a preset name, JSON or a JSON file). */
    public static HostProfile host(String profile) {
        return profile == null || profile.isBlank()
                ? HostProbe.probe()
                : HostProfiles.resolve(profile);
    }
}
