package io.jinference.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One {@code jinf serve --cluster-*} in a process of its own (this test JVM's java and class path, the distribution's
 * bundles), optionally inside a network namespace; its output goes to {@code server.log} in its home.
 *
 * @param address the address it serves HTTP and Artery on
 */
record ClusterNodeProcess(Process process, String address, int httpPort, Path home) implements AutoCloseable {

    /**
     * Starts a node and returns once its REST API answers.
     *
     * @param prefix the command that runs it in its namespace (empty on loopback)
     * @param seed {@code host:port} of the node to join; null to start the cluster
     */
    static ClusterNodeProcess start(List<String> prefix, String address, int httpPort, int clusterPort, String seed,
            Path clusterDir, Path home, String hostProfile, Path llamaServer) {
        List<String> command = new ArrayList<>(prefix);
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.add("-Xmx512m");
        command.add("-Djinference.dist=" + System.getProperty("jinference.dist"));
        command.add("-Djinference.llamacpp.server=" + llamaServer);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(List.of(Main.class.getName(), "serve", "--home", home.toString(), "--host", address,
                "--port", Integer.toString(httpPort), "--insecure", "--host-profile", hostProfile,
                "--cluster-port", Integer.toString(clusterPort), "--cluster-host", address,
                "--cluster-dir", clusterDir.toString()));
        if (seed != null) {
            command.addAll(List.of("--cluster-seed", seed));
        }
        try {
            Files.createDirectories(home);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("server.log").toFile()));
            builder.environment().remove("JINFERENCE_LLAMA_SERVER");
            ClusterNodeProcess node = new ClusterNodeProcess(builder.start(), address, httpPort, home);
            node.awaitStatus();
            return node;
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
            ServerProcess.sleep(300);
        }
        throw new AssertionError("The node at " + address + " exited with " + process.exitValue() + ":\n" + log());
    }

    Http http() {
        return new Http(address, httpPort);
    }

    String log() {
        try {
            String text = Files.readString(home.resolve("server.log"));
            return text.length() > 20_000 ? text.substring(text.length() - 20_000) : text;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /**
     * kill -9 of the server, then of the engine servers it had started (a killed JVM cannot stop them; a real host
     * that dies takes them along).
     */
    void kill() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        waitFor();
    }

    private void waitFor() {
        try {
            process.waitFor(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM: the server leaves the cluster and stops its models. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }
}
