package io.jinference.hotplug;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Apache Felix FileInstall, with the folder installer registered, in a real Felix: dropping, replacing and deleting
 * jars installs and starts, updates and uninstalls bundles through {@link EngineBundles}, and refused drops are
 * rolled back and listed.
 */
class FileInstallFolderTest {

    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path folder;
    private TestFramework framework;
    private EngineBundles bundles;
    private FixtureBundles jars;
    private Path watched;
    private FolderArtifactInstaller installer;
    private FileInstallRegistration fileInstall;

    @BeforeEach
    void start() throws Exception {
        watched = Files.createDirectories(folder.resolve("bundles"));
        framework = new TestFramework(folder.resolve("felix"), FileInstallRegistration.frameworkProperties(watched, 100));
        framework.context().installBundle(fileInstallJar().toUri().toString());
        bundles = new EngineBundles(framework.context(), folder.resolve("store"));
        jars = new FixtureBundles(Files.createDirectories(folder.resolve("jars")));
        installer = new FolderArtifactInstaller(bundles);
    }

    @AfterEach
    void stop() throws Exception {
        if (fileInstall != null) {
            fileInstall.close();
        }
        framework.close();
    }

    private void watch() throws Exception {
        fileInstall = FileInstallRegistration.start(framework.context(), installer);
    }

    /** The FileInstall jar Maven put on the test class path. */
    private static Path fileInstallJar() {
        return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.contains("org.apache.felix.fileinstall")).map(Path::of).findFirst()
                .orElseThrow(() -> new IllegalStateException("org.apache.felix.fileinstall is not on the class path"));
    }

    /** Copies next to the target and renames, as an install script should, so FileInstall never sees half a jar. */
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

    /** The bundles other than FileInstall itself. */
    private List<BundleInfo> fixtures() {
        return bundles.list().stream()
                .filter(b -> !b.symbolicName().equals(FileInstallRegistration.SYMBOLIC_NAME)).toList();
    }

    private boolean activeVersion(String version) {
        return fixtures().stream().anyMatch(b -> b.version().equals(version) && b.state().equals("active"));
    }

    @Test
    void installsJarsAlreadyThereWhenItStarts() throws Exception {
        drop(jars.engine("1.0.0"), "engine.jar");
        watch();
        await("the jar already there is active", () -> activeVersion("1.0.0"));
        assertThat(installer.installed()).containsOnlyKeys("engine.jar");
    }

    @Test
    void followsDropReplaceAndDelete() throws Exception {
        watch();
        drop(jars.engine("1.0.0"), "engine.jar");
        await("the dropped jar is active", () -> activeVersion("1.0.0"));
        long id = installer.installed().get("engine.jar");

        drop(jars.engine("2.0.0"), "engine.jar");
        await("the replaced jar is active", () -> activeVersion("2.0.0"));
        assertThat(installer.installed()).containsEntry("engine.jar", id);
        assertThat(fixtures()).hasSize(1);

        Files.delete(watched.resolve("engine.jar"));
        await("the deleted jar's bundle is gone", () -> fixtures().isEmpty());
        assertThat(installer.installed()).isEmpty();
    }

    @Test
    void keepsTheReasonABrokenDropWasRefused() throws Exception {
        watch();
        drop(jars.throwingActivator(), "broken.jar");
        Files.writeString(watched.resolve("notes.jar"), "not a jar");
        await("both drops are refused", () -> installer.rejected().size() == 2);

        assertThat(installer.rejected().get("broken.jar")).contains("the engine's activator exploded");
        assertThat(installer.rejected().get("notes.jar")).contains("is not a jar file");
        assertThat(fixtures()).isEmpty();

        Files.delete(watched.resolve("notes.jar"));
        await("the deleted file's refusal is forgotten", () -> installer.rejected().size() == 1);
    }
}
