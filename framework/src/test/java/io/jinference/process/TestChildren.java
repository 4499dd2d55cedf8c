package io.jinference.process;

import io.jinference.api.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Real child processes for supervisor tests: a Python HTTP server with a warm-up, or any short command. */
final class TestChildren {
    private TestChildren() {
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path healthServerScript() {
        try {
            return Path.of(TestChildren.class.getResource("health_server.py").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A Python server on {@code port} whose /health answers 503 for {@code warmupSeconds}, then 200. */
    static ProcessSpec healthServer(String name, Path workDir, int port, double warmupSeconds, int maxRestarts) {
        return spec(name, workDir, port, List.of("python3", healthServerScript().toString(), Integer.toString(port),
                Double.toString(warmupSeconds)), Duration.ofSeconds(20), maxRestarts);
    }

    static ProcessSpec spec(String name, Path workDir, int port, List<String> command, Duration startupTimeout,
            int maxRestarts) {
        return new ProcessSpec(name, command, Map.of("PYTHONUNBUFFERED", "1"), workDir,
                URI.create("http://127.0.0.1:" + port + "/health"), startupTimeout, Duration.ofMillis(300),
                maxRestarts, Duration.ofMillis(200));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits up to {@code timeout} for the condition; true when it held in time. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
