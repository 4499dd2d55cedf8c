package io.jinference.hotplug;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Apache Felix FileInstall does with the jars of the watched bundle folder: FileInstall polls the folder and
 * hands every file this installer {@linkplain #canHandle(File) can handle} to {@link #install}, {@link #update} or
 * {@link #uninstall} instead of installing it itself. They go through {@link EngineBundles}, so a broken drop is
 * rolled back like a broken upload, and its reason stays visible in {@link #rejected()} until the file changes or
 * goes. A refusal is recorded, not thrown: FileInstall would otherwise retry the same broken file at every poll.
 * {@link FileInstallRegistration} registers it as FileInstall's {@code ArtifactInstaller} service.
 */
public final class FolderArtifactInstaller {

    private static final Logger LOG = LoggerFactory.getLogger(FolderArtifactInstaller.class);

    private final EngineBundles bundles;
    private final Map<String, Long> installed = new HashMap<>();
    private final Map<String, String> rejected = new HashMap<>();

    public FolderArtifactInstaller(EngineBundles bundles) {
        this.bundles = bundles;
    }

    public boolean canHandle(File artifact) {
        return artifact.getName().endsWith(".jar");
    }

    /** A new jar; {@link #apply} also covers FileInstall handing over a jar it already gave before a restart. */
    public synchronized void install(File artifact) {
        apply(artifact, installed.get(artifact.getName()));
    }

    /** A changed jar updates its bundle; one that was refused before is installed afresh. */
    public synchronized void update(File artifact) {
        apply(artifact, installed.get(artifact.getName()));
    }

    public synchronized void uninstall(File artifact) {
        String name = artifact.getName();
        rejected.remove(name);
        Long id = installed.remove(name);
        if (id == null) {
            return;
        }
        try {
            bundles.remove(id);
            LOG.info("Bundle folder: {} deleted, bundle {} uninstalled", name, id);
        } catch (BundleRejectedException e) {
            LOG.warn("Bundle folder: {} deleted, but bundle {}: {}", name, id, e.getMessage());
        }
    }

    /** Files of the folder that were refused, with the reason. */
    public synchronized Map<String, String> rejected() {
        return new TreeMap<>(rejected);
    }

    /** The bundle id each jar of the folder was installed as. */
    public synchronized Map<String, Long> installed() {
        return new TreeMap<>(installed);
    }

    /** Installs the jar, or updates the bundle it was installed as; a refusal is kept in {@link #rejected()}. */
    private void apply(File artifact, Long id) {
        String name = artifact.getName();
        try (InputStream in = Files.newInputStream(artifact.toPath())) {
            BundleInfo info = id == null ? bundles.install(name, in) : bundles.update(id, in);
            installed.put(name, info.id());
            rejected.remove(name);
            LOG.info("Bundle folder: {} {} as bundle {} ({} {})", name, id == null ? "installed" : "updated",
                    info.id(), info.symbolicName(), info.version());
        } catch (BundleRejectedException e) {
            rejected.put(name, e.getMessage());
            LOG.error("Bundle folder: {} refused: {}", name, e.getMessage());
        } catch (IOException e) {
            rejected.put(name, "cannot read the file: " + e.getMessage());
        }
    }
}
