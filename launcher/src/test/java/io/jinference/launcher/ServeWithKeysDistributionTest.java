package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged {@code bin/jinf} as real child processes: {@code jinf keys create} prints a key once and stores its
 * hash, {@code jinf serve --api-key-file} requires it, a REST-installed bundle survives {@code kill -9}, and a public
 * address without keys refuses to start. Runs in the integration-test phase, after packaging.
 */
final class ServeWithKeysDistributionTest {
    @TempDir
    Path work;

    private final Path dist = Path.of(System.getProperty("jinference.dist"));

    @Test
    void keysAreRequiredAndRestBundlesSurviveKillNine() throws Exception {
        Path keyFile = work.resolve("keys.json");
        String adminKey = jinf("keys", "create", "--role", "admin", "--file", keyFile.toString()).strip();
        assertThat(adminKey).startsWith("jinf-");
        assertThat(Files.readString(keyFile)).doesNotContain(adminKey).contains("admin");

        Path home = work.resolve("home");
        int port = freePort();
        Process first = serve(home, port, "--api-key-file", keyFile.toString());
        RawHttp http = new RawHttp(port);
        try {
            awaitStatus(http, first);
            assertThat(http.send("GET", "/v1/models", Map.of(), null).status()).isEqualTo(401);
            assertThat(http.json("GET", "/v1/cluster/auth", adminKey, null).json().path("auth").asBoolean())
                    .isTrue();
            RawHttp.Answer installed = http.send("POST", "/v1/engine-bundles", Map.of("Content-Type",
                    "application/java-archive", "Authorization", "Bearer " + adminKey),
                    TestJars.bundle("survives.kill.nine", Map.of()));
            assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        } finally {
            first.destroyForcibly().waitFor(60, TimeUnit.SECONDS);
        }

        Process second = serve(home, port, "--api-key-file", keyFile.toString());
        try {
            awaitStatus(http, second);
            List<String> names = http.json("GET", "/v1/engine-bundles", adminKey, null).json().path("bundles")
                    .findValuesAsText("symbolic_name");
            assertThat(names).contains("survives.kill.nine");
        } finally {
            second.destroy();
            second.waitFor(60, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    @Test
    void aPublicAddressWithoutKeysRefusesToStartAndSaysWhy() throws Exception {
        Process process = new ProcessBuilder(dist.resolve("bin/jinf").toString(), "serve", "--host", "0.0.0.0",
                "--port", String.valueOf(freePort()), "--home", work.resolve("public").toString())
                .redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isEqualTo(2);
            assertThat(output).contains("without API keys").contains("--insecure").contains("jinf keys create");
        } finally {
            process.destroyForcibly();
        }
    }

    private String jinf(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/jinf").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return out;
    }

    private Process serve(Path home, int port, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(dist.resolve("bin/jinf").toString(), "serve", "--port",
                String.valueOf(port), "--home", home.toString()));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("serve.log").toFile())).start();
    }

    private static void awaitStatus(RawHttp http, Process process) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            try {
                if (http.send("GET", "/status", Map.of(), null).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                Thread.sleep(200);
            }
        }
        throw new AssertionError("jinf serve did not answer /status");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
