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
 * {@code /status} and stops cleanly on SIGTERM. Runs in the integration-test phase, after packaging.
 */
final class DistributionTest {
    @TempDir
    Path home;

    @Test
    void serveAnswersStatusAndStopsCleanlyOnSigterm() throws Exception {
        Path dist = Path.of(System.getProperty("jinference.dist"));
        int port = freePort();
        Path log = home.resolve("serve.log");
        Process process = new ProcessBuilder(dist.resolve("bin/jinf").toString(), "serve", "--port",
                String.valueOf(port), "--home", home.resolve("home").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
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
