package io.jinference.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dropping, replacing and deleting jars in a watched folder installs, updates and removes bundles in Felix. */
class BundleFolderWatcherTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path folder;
    private TestFramework framework;
    private EngineBundles bundles;
    private FixtureBundles jars;
    private Path watched;

    @BeforeEach
    void start() throws Exception {
        framework = new TestFramework(folder.resolve("felix"));
        bundles = new EngineBundles(framework.context(), folder.resolve("store"));
        jars = new FixtureBundles(Files.createDirectories(folder.resolve("jars")));
        watched = Files.createDirectories(folder.resolve("bundles"));
    }

    @AfterEach
    void stop() throws Exception {
        framework.close();
    }

    /** Copies next to the target and renames, as an install script should, so the watcher never sees half a jar. */
    private void drop(Path jar, String name) throws Exception {
        Path partial = Files.copy(jar, watched.resolve(name + ".part"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, watched.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private boolean activeVersion(String version) {
        return bundles.list().stream().anyMatch(b -> b.version().equals(version) && b.state().equals("active"));
    }

    @Test
    void installsJarsAlreadyThereBeforeItReturns() throws Exception {
        drop(jars.engine("1.0.0"), "engine.jar");
        try (BundleFolderWatcher watcher = BundleFolderWatcher.start(watched, bundles, 100)) {
            assertThat(watcher.installed()).containsOnlyKeys("engine.jar");
            assertThat(activeVersion("1.0.0")).isTrue();
        }
    }

    @Test
    void followsDropReplaceAndDelete() throws Exception {
        try (BundleFolderWatcher watcher = BundleFolderWatcher.start(watched, bundles, 100)) {
            drop(jars.engine("1.0.0"), "engine.jar");
            await("the dropped jar is active", () -> activeVersion("1.0.0"));
            long id = watcher.installed().get("engine.jar");

            drop(jars.engine("2.0.0"), "engine.jar");
            await("the replaced jar is active", () -> activeVersion("2.0.0"));
            assertThat(watcher.installed()).containsEntry("engine.jar", id);

            Files.delete(watched.resolve("engine.jar"));
            await("the deleted jar's bundle is gone", () -> bundles.list().isEmpty());
            assertThat(watcher.installed()).isEmpty();
        }
    }

    @Test
    void keepsTheReasonABrokenDropWasRefused() throws Exception {
        try (BundleFolderWatcher watcher = BundleFolderWatcher.start(watched, bundles, 100)) {
            drop(jars.throwingActivator(), "broken.jar");
            Files.writeString(watched.resolve("notes.jar"), "not a jar");
            await("both drops are refused", () -> watcher.rejected().size() == 2);

            assertThat(watcher.rejected().get("broken.jar")).contains("the engine's activator exploded");
            assertThat(watcher.rejected().get("notes.jar")).contains("is not a jar file");
            assertThat(bundles.list()).isEmpty();
        }
    }
}
