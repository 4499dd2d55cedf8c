package io.jinference.hotplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.launcher.cli.LaunchCommand;
import io.jinference.testing.TinyGguf;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Updating the llama.cpp adapter bundle of a real server while streams run on a tiny GGUF model: the streams in
 * flight finish, requests during the drain and the relaunch get 503 with a reason, and the model comes back on the
 * new bundle version; a model launched without {@code relaunch_on_update} is gone, and {@code engine_version}
 * (REST and {@code jinf launch --engine-version}) chooses between two installed versions.
 */
class AdapterUpdateUnderLoadTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Path RUNTIME = TestServer.BUNDLES.resolve("jinference-llamacpp-runtime.jar");
    private static final Path ADAPTER = TestServer.BUNDLES.resolve("jinference-engine-llamacpp.jar");
    private static final int STREAMS = 4;

    @TempDir
    Path home;

    /** One chat request as a client saw it. */
    private record Outcome(int status, String body, long startNanos, long endNanos) {
        boolean completeStream() {
            return status == 200 && body.contains("data: [DONE]") && !body.contains("\"error\"");
        }
    }

    @Test
    void adapterUpdateUnderLoadDrainsInFlightStreamsAndRelaunchesOnTheNewVersion() throws Exception {
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            long adapterId = installLlamaCpp(rest);
            Path model = TinyGguf.builder().contextLength(1024).write(home.resolve("tiny.gguf"));
            String oldVersion = RebuiltJar.engineVersion(ADAPTER);
            assertLaunched(rest.post("/v1/models", launch(model, "tiny", Map.of("engine_version", "[0,1000)"))));
            assertLaunched(rest.post("/v1/models", launch(model, "tiny-once", Map.of("relaunch_on_update", false))));
            assertThat(rest.get("/v1/models/tiny").json().path("engine_version").asText()).isEqualTo(oldVersion);

            ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService clients = Executors.newFixedThreadPool(STREAMS);
            for (int i = 0; i < STREAMS; i++) {
                clients.execute(() -> streamUntilStopped(server.server.port(), running, outcomes));
            }
            TestServer.await("every stream has completed once", () -> outcomes.size() >= 2 * STREAMS);

            Path rebuilt = home.resolve("adapter-next.jar");
            String newVersion = RebuiltJar.nextMicro(ADAPTER, rebuilt);
            long updateStart = System.nanoTime();
            Rest.Answer updated = rest.upload("/v1/engine-bundles/" + adapterId, "PUT", Files.readAllBytes(rebuilt));
            assertThat(updated.status()).as(updated.json().toString()).isEqualTo(200);
            assertThat(updated.json().path("version").asText()).isEqualTo(newVersion);

            TestServer.await("tiny is ready again", () -> "ready".equals(status(rest, "tiny")));
            int servedBefore = completedAfter(outcomes, updateStart);
            TestServer.await("streams are served after the relaunch",
                    () -> completedAfter(outcomes, updateStart) > servedBefore);
            running.set(false);
            clients.shutdown();
            assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();

            List<Outcome> all = new ArrayList<>(outcomes);
            assertThat(all).allSatisfy(outcome -> assertThat(outcome.completeStream() || outcome.status() == 503)
                    .as("status %d: %s", outcome.status(), outcome.body()).isTrue());
            assertThat(all).as("a stream running when the update began finished whole")
                    .anyMatch(o -> o.completeStream() && o.startNanos() < updateStart && o.endNanos() > updateStart);
            List<Outcome> refused = all.stream().filter(o -> o.status() == 503).toList();
            assertThat(refused).as("requests during the drain and relaunch are refused").isNotEmpty()
                    .allSatisfy(o -> assertThat(o.body()).contains("detail").contains("tiny"));

            JsonNode description = rest.get("/v1/models/tiny").json();
            assertThat(description.path("engine_version").asText()).isEqualTo(newVersion);
            assertThat(description.path("engine_bundle_id").asLong()).isEqualTo(adapterId);
            assertThat(description.path("engine_bundle_version").asText()).as("the exact bundle version, qualifier included")
                    .startsWith(newVersion);
            assertThat(rest.get("/v1/models/tiny-once").status()).isEqualTo(404);
        }
    }

    @Test
    void engineVersionChoosesBetweenTwoInstalledVersions() throws Exception {
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            installLlamaCpp(rest);
            Path next = home.resolve("adapter-next.jar");
            String newVersion = RebuiltJar.nextMicro(ADAPTER, next);
            assertThat(rest.post("/v1/engine-bundles", Map.of("path", next.toString())).status()).isEqualTo(201);
            Path model = TinyGguf.builder().contextLength(1024).write(home.resolve("tiny.gguf"));
            String oldVersion = RebuiltJar.engineVersion(ADAPTER);

            assertLaunched(rest.post("/v1/models", launch(model, "newest", Map.of())));
            StringWriter printed = new StringWriter();
            int exit = new CommandLine(new LaunchCommand()).setOut(new PrintWriter(printed)).execute(
                    "smollm2-instruct", "--format", "ggufv2", "--model-path", model.toString(), "--model-uid", "pinned",
                    "--engine-version", oldVersion, "--endpoint", "http://127.0.0.1:" + server.server.port());
            assertThat(exit).isZero();
            assertThat(printed.toString().trim()).isEqualTo("pinned");
            assertThat(rest.get("/v1/models/newest").json().path("engine_version").asText()).isEqualTo(newVersion);
            assertThat(rest.get("/v1/models/pinned").json().path("engine_version").asText()).isEqualTo(oldVersion);

            Rest.Answer none = rest.post("/v1/models", launch(model, "none", Map.of("engine_version", "[9,10)")));
            assertThat(none.status()).isBetween(400, 499);
            Rest.Answer malformed = rest.post("/v1/models", launch(model, "bad", Map.of("engine_version", "[x")));
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.detail()).contains("neither a version");
        }
    }

    private static long installLlamaCpp(Rest rest) {
        Rest.Answer runtime = rest.post("/v1/engine-bundles", Map.of("path", RUNTIME.toString()));
        assertThat(runtime.status()).as(runtime.json().toString()).isEqualTo(201);
        Rest.Answer adapter = rest.post("/v1/engine-bundles", Map.of("path", ADAPTER.toString()));
        assertThat(adapter.status()).as(adapter.json().toString()).isEqualTo(201);
        return adapter.json().path("id").asLong();
    }

    private static Map<String, Object> launch(Path model, String uid, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(more);
        body.put("model_name", "smollm2-instruct");
        body.put("model_format", "ggufv2");
        body.put("model_path", model.toString());
        body.put("model_uid", uid);
        body.put("n_ctx", 512);
        body.put("n_parallel", STREAMS);
        return body;
    }

    private static void assertLaunched(Rest.Answer answer) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
    }

    private static String status(Rest rest, String uid) {
        return rest.get("/v1/models/" + uid).json().path("status").asText();
    }

    private static int completedAfter(ConcurrentLinkedQueue<Outcome> outcomes, long nanos) {
        return (int) outcomes.stream().filter(o -> o.completeStream() && o.startNanos() > nanos).count();
    }

    /** Streams chats one after another until told to stop; a refused request is retried after a short pause. */
    private static void streamUntilStopped(int port, AtomicBoolean running, ConcurrentLinkedQueue<Outcome> outcomes) {
        HttpClient client = HttpClient.newHttpClient();
        while (running.get()) {
            long start = System.nanoTime();
            try {
                HttpResponse<String> response = client.send(chatRequest(port), BodyHandlers.ofString());
                outcomes.add(new Outcome(response.statusCode(), response.body(), start, System.nanoTime()));
                if (response.statusCode() != 200) {
                    Thread.sleep(20);
                }
            } catch (Exception e) {
                outcomes.add(new Outcome(-1, e.toString(), start, System.nanoTime()));
                return;
            }
        }
    }

    private static HttpRequest chatRequest(int port) throws Exception {
        Map<String, Object> body = Map.of("model", "tiny", "stream", true, "max_tokens", 128, "temperature", 0,
                "messages", List.of(Map.of("role", "user", "content", "Say something.")));
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build();
    }
}
