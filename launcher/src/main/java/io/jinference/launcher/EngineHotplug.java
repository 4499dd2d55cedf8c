package io.jinference.launcher;

import io.jinference.hotplug.BundleFolderWatcher;
import io.jinference.hotplug.EngineBundles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Engine bundles changing while the server runs: the REST operations and the watched {@code $JINFERENCE_HOME/bundles}
 * folder, both through one atomic installer. Models of a stopping engine are drained by {@link EngineBundleModels}.
 */
public final class EngineHotplug implements AutoCloseable {

    private static final long POLL_MILLIS = 250;

    private final EngineBundles bundles;
    private final BundleFolderWatcher watcher;

    private EngineHotplug(EngineBundles bundles, BundleFolderWatcher watcher) {
        this.bundles = bundles;
        this.watcher = watcher;
    }

    /** The folder that is watched, and therefore not installed at start by the world. */
    public static Path watchedFolder(Path home) {
        return home.resolve("bundles");
    }

    static EngineHotplug start(EngineWorld world, Path home) {
        EngineBundles bundles = new EngineBundles(world.bundleContext(), home.resolve("bundle-store"));
        try {
            return new EngineHotplug(bundles, BundleFolderWatcher.start(watchedFolder(home), bundles, POLL_MILLIS));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch " + watchedFolder(home), e);
        }
    }

    public EngineBundles bundles() {
        return bundles;
    }

    public BundleFolderWatcher watcher() {
        return watcher;
    }

    @Override
    public void close() {
        watcher.close();
    }
}
