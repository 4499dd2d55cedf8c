package io.jinference.hotplug;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the bundle folder: a jar dropped in is installed and started, a jar replaced is updated, a jar deleted is
 * uninstalled. It goes through {@link EngineBundles}, so a broken drop is rolled back like a broken upload, and its
 * reason stays visible in {@link #rejected()} until the file changes. A jar is taken once its size and time have
 * stayed the same for one poll, so a half-copied file is never installed.
 */
public final class BundleFolderWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BundleFolderWatcher.class);

    private final Path folder;
    private final EngineBundles bundles;
    /** What each jar looked like at the last poll, and when it was last installed or updated. */
    private final Map<Path, Stamp> seen = new HashMap<>();
    private final Map<Path, Stamp> applied = new HashMap<>();
    private final Map<Path, Long> installed = new HashMap<>();
    private final Map<Path, String> rejected = new TreeMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "jinference-bundle-folder");
        thread.setDaemon(true);
        return thread;
    });

    private BundleFolderWatcher(Path folder, EngineBundles bundles) {
        this.folder = folder;
        this.bundles = bundles;
    }

    /** Installs the jars already in the folder now, then polls every {@code pollMillis}. */
    public static BundleFolderWatcher start(Path folder, EngineBundles bundles, long pollMillis) throws IOException {
        Files.createDirectories(folder);
        BundleFolderWatcher watcher = new BundleFolderWatcher(folder, bundles);
        watcher.scan(true);
        watcher.poller.scheduleWithFixedDelay(() -> watcher.scan(false), pollMillis, pollMillis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    /** Files of the folder that were refused, with the reason. */
    public synchronized Map<String, String> rejected() {
        Map<String, String> byName = new TreeMap<>();
        rejected.forEach((file, reason) -> byName.put(file.getFileName().toString(), reason));
        return byName;
    }

    /** The bundle id each jar of the folder was installed as. */
    public synchronized Map<String, Long> installed() {
        Map<String, Long> byName = new TreeMap<>();
        installed.forEach((file, id) -> byName.put(file.getFileName().toString(), id));
        return byName;
    }

    private synchronized void scan(boolean initial) {
        try {
            Map<Path, Stamp> now = jars();
            for (Map.Entry<Path, Stamp> entry : now.entrySet()) {
                Path file = entry.getKey();
                Stamp previous = seen.put(file, entry.getValue());
                boolean settled = initial || entry.getValue().equals(previous);
                if (settled && !entry.getValue().equals(applied.get(file))) {
                    apply(file);
                    applied.put(file, entry.getValue());
                }
            }
            for (Path gone : Set.copyOf(seen.keySet())) {
                if (!now.containsKey(gone)) {
                    seen.remove(gone);
                    applied.remove(gone);
                    rejected.remove(gone);
                    Long id = installed.remove(gone);
                    if (id != null) {
                        remove(gone, id);
                    }
                }
            }
        } catch (RuntimeException | IOException e) {
            LOG.error("Scanning the bundle folder {} failed: {}", folder, e.getMessage(), e);
        }
    }

    private void apply(Path file) {
        Long id = installed.get(file);
        try (InputStream in = Files.newInputStream(file)) {
            BundleInfo info = id == null ? bundles.install(file.getFileName().toString(), in) : bundles.update(id, in);
            installed.put(file, info.id());
            rejected.remove(file);
            LOG.info("Bundle folder: {} {} as bundle {} ({} {})", file.getFileName(), id == null ? "installed" : "updated",
                    info.id(), info.symbolicName(), info.version());
        } catch (BundleRejectedException e) {
            rejected.put(file, e.getMessage());
            LOG.error("Bundle folder: {} refused: {}", file.getFileName(), e.getMessage());
        } catch (IOException e) {
            rejected.put(file, "cannot read the file: " + e.getMessage());
        }
    }

    private void remove(Path file, long id) {
        try {
            bundles.remove(id);
            LOG.info("Bundle folder: {} deleted, bundle {} uninstalled", file.getFileName(), id);
        } catch (BundleRejectedException e) {
            LOG.warn("Bundle folder: {} deleted, but bundle {}: {}", file.getFileName(), id, e.getMessage());
        }
    }

    private Map<Path, Stamp> jars() throws IOException {
        Map<Path, Stamp> jars = new HashMap<>();
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder)) {
            files = listing.filter(file -> file.getFileName().toString().endsWith(".jar")).toList();
        }
        for (Path file : files) {
            try {
                jars.put(file, new Stamp(Files.size(file), Files.getLastModifiedTime(file)));
            } catch (IOException e) {
                LOG.debug("{} vanished while scanning: {}", file, e.getMessage());
            }
        }
        return jars;
    }

    @Override
    public void close() {
        poller.shutdownNow();
        try {
            poller.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Stamp(long size, FileTime modified) {
    }
}
