package io.jinference.launcher;

import io.jinference.hotplug.EngineBundles;
import io.jinference.hotplug.FileInstallRegistration;
import io.jinference.hotplug.FolderArtifactInstaller;
import io.jinference.hotplug.JarTrust;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine bundles changing while the server runs: the REST operations and the {@code $JINFERENCE_HOME/bundles}
 * folder watched by Apache Felix FileInstall, both through one atomic installer. Models of a stopping engine are
 * drained by {@link EngineBundleModels}.
 */
public final class EngineHotplug implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineHotplug.class);
    private static final long POLL_MILLIS = 250;

    private final EngineBundles bundles;
    private final FolderArtifactInstaller folder;
    private final FileInstallRegistration fileInstall;

    private EngineHotplug(EngineBundles bundles, FolderArtifactInstaller folder, FileInstallRegistration fileInstall) {
        this.bundles = bundles;
        this.folder = folder;
        this.fileInstall = fileInstall;
    }

    /** The folder that is watched, and therefore not installed at start by the world. */
    public static Path watchedFolder(Path home) {
        return home.resolve("bundles");
    }

    /** The framework properties that point FileInstall at the watched folder of {@code home}. */
    static Map<String, String> fileInstallProperties(Path home) {
        return FileInstallRegistration.frameworkProperties(watchedFolder(home), POLL_MILLIS);
    }

    /** Registers the folder installer and starts FileInstall, which installs the jars already there at once. */
    static EngineHotplug start(EngineWorld world, Path home, JarTrust trust) {
        EngineBundles bundles = new EngineBundles(world.bundleContext(), home.resolve("bundle-store"), trust);
        int restored = bundles.restorePersistent();
        if (restored > 0) {
            LOG.info("Installed again {} engine bundles installed through REST before the restart", restored);
        }
        FolderArtifactInstaller folder = new FolderArtifactInstaller(bundles);
        try {
            Files.createDirectories(watchedFolder(home));
            return new EngineHotplug(bundles, folder, FileInstallRegistration.start(world.bundleContext(), folder));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + watchedFolder(home), e);
        } catch (BundleException e) {
            throw new IllegalStateException("Cannot watch " + watchedFolder(home) + " with FileInstall: "
                    + e.getMessage(), e);
        }
    }

    public EngineBundles bundles() {
        return bundles;
    }

    /** What FileInstall handed over from the watched folder: installed jars and refused ones. */
    public FolderArtifactInstaller folder() {
        return folder;
    }

    @Override
    public void close() {
        fileInstall.close();
    }
}
