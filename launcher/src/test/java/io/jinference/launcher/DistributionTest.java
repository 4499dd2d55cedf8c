package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged distribution: {@code bin/jinf serve} as a real child process in a fresh home answers
 * {@code /status} and stops cleanly on SIGTERM, and {@code bin/jinf launch} shows its progress. Runs in the
 * integration-test phase, after packaging.
 */
final class DistributionTest {
    @TempDir
    Path home;

    @Test
    void serveAnswersStatusAndStopsCleanlyOnSigterm() throws Exception {
        Path dist = Path.of(System.getProperty("jinference.dist"));
        int port = freePort();
        Path log = home.resolve("serve.log");
        Process process = serve(dist, port, log);
        try {
            Http http = new Http(port);
            assertThat(awaitStatus(http, process)).as(() -> read(log)).isEqualTo(200);
            process.destroy();
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
            assertThat(process.exitValue()).isIn(0, 143);
            assertThat(read(log)).contains("Felix stopped");
        } finally {
            process.destroyForcibly();
        }
    }

    /**
     * {@code bin/jinf launch} shows how far the launch is (a progress bar on standard error with the model's UID and
     * its state) until the model serves, then prints the UID alone on standard output.
     */
    @Test
    void launchShowsItsProgressAndPrintsTheUid() throws Exception {
        Path dist = Path.of(System.getProperty("jinference.dist"));
        Path gguf = io.jinference.testing.TinyGguf.builder().write(home.resolve("tiny.gguf"));
        int port = freePort();
        Path log = home.resolve("serve.log");
        Process server = serve(dist, port, log);
        try {
            assertThat(awaitStatus(new Http(port), server)).as(() -> read(log)).isEqualTo(200);
            Path progress = home.resolve("launch.err");
            Path printed = home.resolve("launch.out");
            Process launch = new ProcessBuilder(dist.resolve("bin/jinf").toString(), "launch", "smollm2-instruct",
                    "--format", "ggufv2", "--model-path", gguf.toString(), "--model-uid", "tiny-cli",
                    "--endpoint", "http://127.0.0.1:" + port)
                    .redirectError(progress.toFile()).redirectOutput(printed.toFile()).start();
            assertThat(launch.waitFor(120, TimeUnit.SECONDS)).as("the launch ended").isTrue();
            assertThat(launch.exitValue()).as(() -> read(progress)).isZero();
            assertThat(read(printed).strip()).isEqualTo("tiny-cli");
            assertThat(read(progress)).as("the progress bar").contains("tiny-cli").contains("ready")
                    .containsPattern("\\(\\d+:\\d\\d:\\d\\d");
        } finally {
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    /**
     * A client command starts from the class-data-sharing archive made at package time, picocli included: its classes
     * are Java 5 class files, which Java 17 leaves out of a dynamic archive (so the archive is a static one). And with
     * only the subcommand named first given to picocli, the usage without one still lists every subcommand.
     */
    @Test
    void aClientCommandStartsFromTheArchiveAndTheUsageListsEverySubcommand() throws Exception {
        Path dist = Path.of(System.getProperty("jinference.dist"));
        Path classes = home.resolve("classes.log");
        Path out = home.resolve("cache.out");
        ProcessBuilder cacheList = new ProcessBuilder(dist.resolve("bin/jinf").toString(), "cache", "list")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        // The JVM that ran the build made the archive; bin/jinf passes it to that JDK only.
        cacheList.environment().put("JAVA_HOME", System.getProperty("java.home"));
        cacheList.environment().put("HF_HOME", home.resolve("hf").toString());
        cacheList.environment().put("JINFERENCE_HOME", home.resolve("home").toString());
        cacheList.environment().put("JINF_JAVA_OPTS", "-Xlog:class+load=info:file=" + classes);
        Process process = cacheList.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("cache list ended").isTrue();
        assertThat(process.exitValue()).as(() -> read(out)).isZero();
        assertThat(Files.readAllLines(classes)).filteredOn(line -> line.contains(" picocli.CommandLine "))
                .singleElement().asString().contains("source: shared objects file");

        Process usage = new ProcessBuilder(dist.resolve("bin/jinf").toString()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(usage.waitFor(120, TimeUnit.SECONDS)).as("usage ended").isTrue();
        assertThat(read(out)).contains("serve", "engines", "launch", "list", "terminate", "chat", "register",
                "unregister", "bundles", "runtimes", "download", "cache", "keys", "cluster");
    }

    /** {@code bin/jinf serve} in a fresh home, its output in {@code log}. */
    private Process serve(Path dist, int port, Path log) throws IOException {
        return new ProcessBuilder(dist.resolve("bin/jinf").toString(), "serve", "--port", String.valueOf(port),
                "--home", home.resolve("home").toString()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
    }

    private static int awaitStatus(Http http, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                return http.get("/status").status();
            } catch (RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
