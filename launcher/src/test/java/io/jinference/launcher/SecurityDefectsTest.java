package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.rest.RestSecurity;
import io.jinference.template.ChatTemplateRenderer;
import io.jinference.testing.BrokenGguf;
import io.jinference.testing.TinyGguf;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each defect of issue 10 reproduced over real HTTP against a server with no keys on loopback (the default), each
 * now refused with a clear JSON error, and the server still serving afterwards.
 */
final class SecurityDefectsTest {
    private static final long UPLOAD_LIMIT = 8L * 1024 * 1024;

    @TempDir
    static Path root;
    static Path home;
    static JinferenceServer server;
    static RawHttp http;

    @BeforeAll
    static void start() throws IOException {
        home = Files.createDirectories(root.resolve("home"));
        server = start(home);
        http = new RawHttp(server.port());
    }

    static JinferenceServer start(Path home) {
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        RestSecurity security = RestSecurity.open().withLimits(RestSecurity.open().maxJsonBytes(), UPLOAD_LIMIT,
                Duration.ofSeconds(2)).withHeaderTimeout(Duration.ofSeconds(2));
        return JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render, security, false);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static void assertStillServing() {
        assertThat(http.send("GET", "/status", Map.of(), null).status()).isEqualTo(200);
    }

    private static RawHttp.Answer upload(byte[] jar) {
        return http.send("POST", "/v1/engine-bundles", Map.of("Content-Type", "application/java-archive"), jar);
    }

    @Test
    void aTraversalSymbolicNameIsStoredInsideTheStoreAndRemovedFromThere() throws IOException {
        Path victim = root.resolve("victim-1.0.0.jar");
        Files.writeString(victim, "precious");
        RawHttp.Answer installed = upload(TestJars.bundle("../../victim", Map.of()));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        Path store = home.resolve("bundle-store").toAbsolutePath().normalize();
        String location = installed.json().path("location").asText();
        Path kept = Path.of(location.substring(location.indexOf('/') + 1)).toAbsolutePath().normalize();
        assertThat(kept).startsWith(store);
        assertThat(kept.getFileName().toString()).doesNotContain("victim");
        assertThat(Files.readString(victim)).isEqualTo("precious");

        long id = installed.json().path("id").asLong();
        assertThat(http.send("DELETE", "/v1/engine-bundles/" + id, Map.of(), null).status()).isEqualTo(200);
        assertThat(kept).doesNotExist();
        assertThat(Files.readString(victim)).isEqualTo("precious");
        assertStillServing();
    }

    @Test
    void aHostProfilePathIsNeverReadAndTheFileIsNotEchoed() throws IOException {
        Path secret = root.resolve("token.txt");
        Files.writeString(secret, "root:s3cret-token");
        for (String profile : new String[] {"/etc/shadow", secret.toString(), "/no/such/file"}) {
            RawHttp.Answer answer = http.send("GET", "/v1/engines/smollm2-instruct?host_profile="
                    + java.net.URLEncoder.encode(profile, StandardCharsets.UTF_8), Map.of(), null);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.body()).doesNotContain("root").doesNotContain("s3cret").doesNotContain("Unrecognized")
                    .contains("files are not read over REST");
        }
        assertThat(http.send("GET", "/v1/engines/smollm2-instruct?host_profile=linux-x86_64-cuda", Map.of(), null)
                .status()).isEqualTo(200);
        assertStillServing();
    }

    @Test
    void aBundlePathAnswersTheSameWhetherOrNotTheFileExists() throws IOException {
        Path text = Files.writeString(root.resolve("notes.txt"), "not a jar");
        String missing = http.json("POST", "/v1/engine-bundles", null, "{\"path\": \"/no/such/file.jar\"}").body();
        String existing = http.json("POST", "/v1/engine-bundles", null,
                "{\"path\": " + Http.MAPPER.writeValueAsString(text.toString()) + "}").body();
        String folder = http.json("POST", "/v1/engine-bundles", null, "{\"path\": \"/etc\"}").body();
        assertThat(existing).isEqualTo(missing).isEqualTo(folder);
        assertStillServing();
    }

    @Test
    void aModelPathAnswersTheSameWhetherTheFileIsMissingOrNoModel() throws IOException {
        Path text = Files.writeString(root.resolve("secret.txt"), "root:x:0:0");
        List<RawHttp.Answer> answers = Stream.of("/no/such/model.gguf", text.toString(), "/etc/hostname", "bad\u0000")
                .map(path -> {
                    try {
                        return http.json("POST", "/v1/models", null, Http.MAPPER.writeValueAsString(Map.of(
                                "model_name", "smollm2-instruct", "model_format", "ggufv2", "model_path", path)));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }).toList();
        for (RawHttp.Answer answer : answers) {
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.body()).isEqualTo(answers.get(0).body()).doesNotContain("root:x", "secret.txt");
        }
        assertStillServing();
    }

    @Test
    void aForeignOriginCannotChangeStateEvenAsPlainText() {
        String family = "{\"model\": {\"version\": 2, \"context_length\": 2048, \"model_name\": \"csrf-family\","
                + " \"model_lang\": [\"en\"], \"model_ability\": [\"generate\"], \"model_specs\": []}}";
        RawHttp.Answer plain = http.send("POST", "/v1/model_registrations/LLM",
                Map.of("Origin", "https://evil.example", "Content-Type", "text/plain"),
                family.getBytes(StandardCharsets.UTF_8));
        assertThat(plain.status()).isEqualTo(403);
        assertThat(plain.json().path("detail").asText()).contains("evil.example");
        RawHttp.Answer json = http.send("POST", "/v1/models",
                Map.of("Origin", "https://evil.example", "Content-Type", "application/json"),
                "{\"model_name\": \"smollm2-instruct\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(json.status()).isEqualTo(403);
        assertThat(http.send("GET", "/v1/model_registrations/LLM/csrf-family", Map.of(), null).status())
                .isEqualTo(400);
        assertStillServing();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedWith415() {
        RawHttp.Answer answer = http.send("POST", "/v1/chat/completions", Map.of("Content-Type", "text/plain"),
                "{\"model\": \"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.status()).isEqualTo(415);
        assertThat(answer.json().path("error").path("message").asText()).contains("application/json");
    }

    @Test
    void noCorsHeadersUnlessOriginsAreConfigured() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/v1/models")).header("Origin", "https://evil.example")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void aRebindingHostHeaderIsRefusedOnLoopback() throws IOException {
        String answer = rawExchange("GET /v1/models HTTP/1.1\r\nHost: evil.example:" + server.port()
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 403").contains("Host header");
        assertThat(rawExchange("GET /v1/models HTTP/1.1\r\nHost: localhost:" + server.port()
                + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }

    /**
     * The status of a large upload the server refuses from its headers: 413, or -1 when the server closed the
     * connection while the client was still sending (the client then may not get to read the 413).
     */
    private static int uploadRefusedEarly(byte[] jar) {
        try {
            return upload(jar).status();
        } catch (java.io.UncheckedIOException closedWhileSending) {
            return -1;
        }
    }

    @Test
    void aLargeUploadIsRefusedBeforeItIsRead() {
        byte[] junk = new byte[20 * 1024 * 1024];
        assertThat(uploadRefusedEarly(junk)).isIn(413, -1);

        byte[] jarPrefixed = new byte[20 * 1024 * 1024];
        jarPrefixed[0] = 'P';
        jarPrefixed[1] = 'K';
        jarPrefixed[2] = 3;
        jarPrefixed[3] = 4;
        assertThat(uploadRefusedEarly(jarPrefixed)).isIn(413, -1);

        RawHttp.Answer smallJunk = upload(new byte[1024 * 1024]);
        assertThat(smallJunk.status()).isEqualTo(400);
        assertThat(smallJunk.json().path("detail").asText()).contains("not a jar");
        assertStillServing();
    }

    @Test
    void aChunkedUploadIsCountedAndStoppedAtTheLimit() throws IOException {
        byte[] jarPrefixed = new byte[20 * 1024 * 1024];
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, jarPrefixed, 0, 4);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/engine-bundles")).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(jarPrefixed))).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request,
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
        } catch (IOException e) {
            // The server may close the connection while the client is still sending the rest: refused as well.
            assertThat(e).isInstanceOf(IOException.class);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> staged = Files.list(home.resolve("bundle-store"))) {
            assertThat(staged.filter(Files::isRegularFile)).as("no staged upload is left behind").isEmpty();
        }
        assertStillServing();
    }

    @Test
    void aLongRegistrationNameIs400WithoutTheHomePath() {
        String name = "n".repeat(240);
        String family = "{\"model\": {\"version\": 2, \"context_length\": 2048, \"model_name\": \"" + name + "\","
                + " \"model_lang\": [\"en\"], \"model_ability\": [\"generate\"], \"model_specs\": [{\"model_format\":"
                + " \"ggufv2\", \"model_size_in_billions\": 1, \"quantizations\": [\"q4_0\"], \"model_id\": \"x/y\","
                + " \"model_file_name_template\": \"m.gguf\"}]}}";
        RawHttp.Answer answer = http.json("POST", "/v1/model_registrations/LLM", null, family);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.body()).doesNotContain(home.toString());
        RawHttp.Answer launch = http.json("POST", "/v1/models", null, "{\"model_name\": \"smollm2-instruct\","
                + " \"model_uid\": \"" + name + "\"}");
        assertThat(launch.status()).isEqualTo(400);
        assertThat(launch.body()).doesNotContain(home.toString());
        assertStillServing();
    }

    @Test
    void aConnectionThatSendsHalfAHeaderIsClosedByTheServer() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET /status HTTP/1.1\r\nHost: 127.0".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // The server closes the idle connection (after its 2 s idle timeout here): end of stream, not a timeout.
            byte[] rest = in.readAllBytes();
            assertThat(new String(rest, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
        }
        assertStillServing();
    }

    /**
     * Slowloris: one header byte a second never lets the idle timeout (2 s here) fire. The header deadline (2 s) must
     * close the connection while the client is still trickling; the test gives up trickling only after 60 bytes (a
     * minute), far past the one to two deadlines the server needs.
     */
    @Test
    void aConnectionThatTricklesItsHeaderIsClosedByTheHeaderDeadline() throws Exception {
        byte[] header = ("GET /status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a".repeat(200))
                .getBytes(StandardCharsets.US_ASCII);
        int sent = 0;
        boolean closed = false;
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(50);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            while (sent < 60 && !closed) {
                try {
                    out.write(header[sent]);
                    out.flush();
                    sent++;
                } catch (IOException e) {
                    closed = true;
                    break;
                }
                Thread.sleep(1000);
                try {
                    closed = in.read() < 0;
                } catch (java.net.SocketTimeoutException stillOpen) {
                    // nothing from the server yet: the connection is open
                } catch (IOException reset) {
                    closed = true;
                }
            }
        }
        assertThat(closed).as("closed by the server after " + sent + " bytes at one a second").isTrue();
        assertThat(sent).isLessThan(60);
        assertStillServing();
    }

    /**
     * A chat template of three nested {@code range()} loops would render for ever. Launching it must end (launched
     * or refused with a 4xx), a chat must end with a 4xx naming the template, and once the model is terminated no
     * model host of it remains and this JVM (the server) does not keep a core busy: its CPU time over a few seconds
     * stays far below one core's worth.
     */
    @Test
    void aLoopingChatTemplateEndsWithAClearErrorAndLeavesNothingBusy() throws Exception {
        String loop = "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}{{ c }}"
                + "{% endfor %}{% endfor %}{% endfor %}";
        Path gguf = TinyGguf.builder().contextLength(512).chatTemplate(loop).write(root.resolve("looping.gguf"));
        java.util.Set<Long> before = descendants();
        RawHttp.Answer launched = launchGguf("looping-template", gguf);
        if (launched.status() == 200) {
            RawHttp.Answer chat = http.json("POST", "/v1/chat/completions", null, "{\"model\": \"looping-template\", "
                    + "\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_tokens\": 1}");
            assertThat(chat.status()).as(chat.body()).isBetween(400, 499);
            assertThat(chat.json().path("detail").asText()).containsIgnoringCase("template");
            assertThat(http.send("DELETE", "/v1/models/looping-template", Map.of(), null).status()).isEqualTo(200);
        } else {
            assertThat(launched.status()).as(launched.body()).isBetween(400, 499);
            assertThat(launched.json().path("detail").asText()).contains("chat template");
        }
        // terminate waits for the model host to exit; a host left behind would show here
        java.util.Set<Long> left = descendants();
        left.removeAll(before);
        assertThat(left).as("model host processes left after terminate").isEmpty();
        long ticksBefore = ownCpuTicks();
        long wallBefore = System.nanoTime();
        Thread.sleep(3000);
        double cpuSeconds = (ownCpuTicks() - ticksBefore) / 100.0;
        double wallSeconds = (System.nanoTime() - wallBefore) / 1e9;
        assertThat(cpuSeconds).as("CPU seconds this JVM used over " + wallSeconds + " s after terminate")
                .isLessThan(wallSeconds * 0.8);
        assertStillServing();
    }

    private static java.util.Set<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    /** utime + stime of this process from /proc/self/stat, in clock ticks (USER_HZ, 100 on Linux). */
    private static long ownCpuTicks() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** Launches a GGUF file as the tiny llama family, the way ServingTest does. */
    private static RawHttp.Answer launchGguf(String uid, Path gguf) throws IOException {
        return http.json("POST", "/v1/models", null, Http.MAPPER.writeValueAsString(Map.of("model_name",
                "smollm2-instruct", "model_format", "ggufv2", "model_path", gguf.toString(), "model_uid", uid)));
    }

    @Test
    void aGgufNesting200000ArraysIs400AndTheUidIsNotStuck() throws IOException {
        Path deep = BrokenGguf.deeplyNestedArrays(root.resolve("deep.gguf"), 200_000);
        RawHttp.Answer answer = launchGguf("deep-metadata", deep);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().path("detail").asText()).contains("nests arrays more than");
        assertThat(http.send("GET", "/v1/models/deep-metadata", Map.of(), null).status()).isEqualTo(404);
        assertStillServing();
    }

    @Test
    void anEightMegabytePromptIsRefusedBeforeTokenisation() throws IOException {
        Path tiny = TinyGguf.builder().contextLength(1024).write(root.resolve("tiny.gguf"));
        RawHttp.Answer launched = launchGguf("tiny-prompt", tiny);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        try {
            String huge = "x".repeat(8_000_000);
            RawHttp.Answer chat = http.json("POST", "/v1/chat/completions", null, Http.MAPPER.writeValueAsString(
                    Map.of("model", "tiny-prompt", "messages", List.of(Map.of("role", "user", "content", huge)))));
            assertThat(chat.status()).isEqualTo(400);
            assertThat(chat.json().path("detail").asText()).contains("8000000 characters");
            RawHttp.Answer completion = http.json("POST", "/v1/completions", null, Http.MAPPER.writeValueAsString(
                    Map.of("model", "tiny-prompt", "prompt", huge)));
            assertThat(completion.status()).isEqualTo(400);
        } finally {
            http.send("DELETE", "/v1/models/tiny-prompt", Map.of(), null);
        }
        assertStillServing();
    }

    @Test
    void restInstalledBundlesSurviveACleanRestart() throws IOException {
        Path otherHome = Files.createDirectories(root.resolve("restart-home"));
        JinferenceServer first = start(otherHome);
        RawHttp firstHttp = new RawHttp(first.port());
        RawHttp.Answer installed = firstHttp.send("POST", "/v1/engine-bundles",
                Map.of("Content-Type", "application/java-archive"), TestJars.bundle("kept.across.restarts", Map.of()));
        assertThat(installed.status()).as(installed.body()).isEqualTo(201);
        first.close();

        JinferenceServer second = start(otherHome);
        try {
            JsonNode bundles = new RawHttp(second.port()).send("GET", "/v1/engine-bundles", Map.of(), null).json();
            assertThat(bundles.path("bundles").findValuesAsText("symbolic_name")).contains("kept.across.restarts");
        } finally {
            second.close();
        }
    }

    @Test
    void aNonLoopbackAddressWithoutKeysRefusesToStart() {
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        assertThatThrownBy(() -> JinferenceServer.start(root.resolve("public-home"), distribution.bundleFolders(home),
                "0.0.0.0", 0, null, new ChatTemplateRenderer()::render, RestSecurity.open(), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without API keys")
                .hasMessageContaining("--insecure");
    }

    private String rawExchange(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) Duration.ofMinutes(1).toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
