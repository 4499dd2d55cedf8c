package io.jinference.hotplug.itest;

import io.jinference.launcher.EngineHotplug;
import io.jinference.launcher.JinferenceServer;
import io.jinference.template.ChatTemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A real Jinference server in a fresh home with FileInstall watching its bundle folder and no engines but what the
 * tests drop there.
 */
final class TestServer implements AutoCloseable {

    static final Path BUNDLES = Path.of(System.getProperty("test.bundles"));
    /** The server's system bundles: FileInstall, which watches the bundle folder. */
    static final Path SYSTEM = Path.of(System.getProperty("test.system"));
    static final Path ONNX_ENGINE = BUNDLES.resolve("jinference-example-engine-onnx.jar");

    final Path home;
    final JinferenceServer server;
    final Rest rest;

    TestServer(Path home) {
        this.home = home;
        this.server = JinferenceServer.start(home, List.of(SYSTEM, EngineHotplug.watchedFolder(home)), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render);
        this.rest = new Rest(server.port());
    }

    /** Copies a jar into the watched folder under a temporary name and renames it, so it appears whole. */
    void drop(Path jar, String name) throws Exception {
        Path folder = EngineHotplug.watchedFolder(home);
        Path partial = Files.copy(jar, folder.resolve(name + ".part"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, folder.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    void deleteDrop(String name) throws Exception {
        Files.delete(EngineHotplug.watchedFolder(home).resolve(name));
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
