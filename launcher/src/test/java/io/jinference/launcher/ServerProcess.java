package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code jinf serve} in a process of its own (this test JVM's java and class path, the distribution's
 * bundles), so that what the server process maps and how much memory it holds can be read from {@code /proc}
 * without the test's own JVM in the way. Its output goes to {@code server.log} in the home.
 */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the server and waits until {@code /status} answers; {@code jvmOptions} go to the server's JVM. */
    static ServerProcess start(Path home, List<String> jvmOptions) {
        int port = freePort();
        Path log = home.resolve("server.log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(jvmOptions);
        command.add("-Djinference.dist=" + System.getProperty("jinference.dist"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(List.of(Main.class.getName(), "serve", "--home", home.toString(), "--port",
                Integer.toString(port)));
        try {
            Files.createDirectories(home);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            ServerProcess server = new ServerProcess(process, port, log);
            server.awaitStatus();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitStatus() {
        Http http = http();
        while (process.isAlive()) {
            try {
                if (http.get("/status").status() == 200) {
                    return;
                }
            } catch (UncheckedIOException notYet) {
                // not listening yet
            }
            sleep(200);
        }
        throw new AssertionError("The server exited with " + process.exitValue() + ":\n" + logText());
    }

    Http http() {
        return new Http(port);
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The lines of {@code /proc/<pid>/<file>} of a process. */
    static List<String> proc(long pid, String file) {
        try {
            return Files.readAllLines(Path.of("/proc", Long.toString(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The resident set size of a process in kB ({@code VmRSS} of {@code /proc/<pid>/status}). */
    static long rssKb(long pid) {
        String line = proc(pid, "status").stream().filter(l -> l.startsWith("VmRSS:")).findFirst().orElseThrow();
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM (the server stops its models and their model hosts), then waits for the process. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(process.isAlive()).isFalse();
    }
}
