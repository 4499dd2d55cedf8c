package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} and the request log on a real server with SmolLM2 on the llama-server backend (the real
 * binary named by {@code JINFERENCE_LLAMA_SERVER}): during a streamed chat the model has one request in flight; after
 * it the model's token counters and time-to-first-token histogram have moved, the HTTP histogram has the route
 * template, and llama-server's own metrics appear with the model's {@code model_uid} and {@code engine} labels.
 * Every answer carries an {@code X-Request-Id} (the client's when sane) and the request log has one line per request.
 */
final class MetricsRestTest {
    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static PrintStream originalErr;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.llamacpp.server", LlamaServerBinary.require().toString());
        // slf4j-simple writes to System.err as it is when each line is written: a tee lets the test read the log.
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.llamacpp.server");
        if (originalErr != null) {
            System.setErr(originalErr);
        }
    }

    @Test
    void aStreamedChatMovesTheModelsTokenCountersAndTimeToFirstToken() throws Exception {
        String uid = launch("smol-metrics");
        String before = scrape();
        assertThat(before).contains("jvm_memory_used_bytes").contains("process_cpu_usage")
                .contains("jinference_model_state{engine=\"llama.cpp\",model_uid=\"" + uid + "\",state=\"ready\"} 1")
                .contains("jinference_engine_bundle_state{");
        double completionBefore = value(before, "jinference_model_completion_tokens_total", uid);
        double ttftCountBefore = value(before, "jinference_model_time_to_first_token_seconds_count", uid);

        Map<String, Object> chat = new HashMap<>();
        chat.put("model", uid);
        chat.put("messages", List.of(Map.of("role", "user", "content", "Tell me a story about a lighthouse.")));
        chat.put("max_tokens", 24);
        chat.put("temperature", 0);
        chat.put("stream", true);
        String during;
        try (Stream<String> lines = http.streamLines("/v1/chat/completions", chat)) {
            Iterator<String> events = lines.iterator();
            String first;
            do {
                first = events.next();
            } while (!first.contains("\"content\":\""));
            during = scrape();
            while (events.hasNext()) {
                events.next();
            }
        }
        assertThat(value(during, "jinference_model_requests_in_flight", uid)).as("during the stream").isEqualTo(1);

        String after = scrape();
        assertThat(value(after, "jinference_model_requests_in_flight", uid)).isZero();
        assertThat(value(after, "jinference_model_completion_tokens_total", uid) - completionBefore)
                .as("llama-server generated 24 tokens").isEqualTo(24);
        assertThat(value(after, "jinference_model_prompt_tokens_total", uid)).isPositive();
        assertThat(value(after, "jinference_model_time_to_first_token_seconds_count", uid) - ttftCountBefore)
                .isEqualTo(1);
        assertThat(value(after, "jinference_model_time_per_output_token_seconds_count", uid)).isPositive();
        assertThat(after).contains("jinference_model_time_to_first_token_seconds_bucket{model_uid=\"" + uid
                + "\",le=\"+Inf\"} " + (int) (ttftCountBefore + 1));
        assertThat(after).containsPattern("http_server_requests_seconds_count\\{method=\"POST\","
                + "route=\"/v1/chat/completions\",status=\"200\"\\} [1-9]");
        assertThat(after).as("llama-server's own metrics, labelled")
                .containsPattern("(?m)^llamacpp:tokens_predicted_total\\{model_uid=\"" + uid
                        + "\",engine=\"llama.cpp\"\\} [1-9]")
                .contains("# TYPE llamacpp:tokens_predicted_total counter");
        assertThat(LOG.toString(StandardCharsets.UTF_8)).containsPattern("request id=\\S+ method=POST "
                + "route=/v1/chat/completions model=" + uid + " status=200 prompt_tokens=\\d+ completion_tokens=24 "
                + "ttft_ms=\\d+ total_ms=\\d+");
        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
    }

    /**
     * A model in a model host (the in-JVM backend) streams to a client that did not ask for a usage chunk: the
     * stream's final chunk carries llama-server-style {@code timings}, so the model's token counters still move.
     */
    @Test
    void aStreamFromAModelHostWithoutAUsageChunkIsCounted() {
        Map<String, Object> inJvm = launchBody("smol-host");
        inJvm.put("model_backend", "jvm");
        Http.Answer launched = http.post("/v1/models", inJvm);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        double before = value(scrape(), "jinference_model_completion_tokens_total", "smol-host");

        Http.Answer streamed = http.post("/v1/chat/completions", Map.of("model", "smol-host", "max_tokens", 6,
                "temperature", 0, "stream", true, "messages",
                List.of(Map.of("role", "user", "content", "Tell me a story about a lighthouse."))));

        assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.events()).noneMatch(event -> event.has("usage"));
        int generated = streamed.events().get(streamed.events().size() - 1).path("timings").path("predicted_n").asInt();
        assertThat(generated).isBetween(1, 6);
        String after = scrape();
        assertThat(value(after, "jinference_model_completion_tokens_total", "smol-host") - before)
                .isEqualTo(generated);
        assertThat(value(after, "jinference_model_prompt_tokens_total", "smol-host")).isPositive();
        assertThat(http.delete("/v1/models/smol-host").status()).isEqualTo(200);
    }

    /**
     * With one slot, a second stream waits in llama-server's queue while the first generates: the model's
     * {@code jinference_model_requests_queued} (read from llama-server's {@code requests_deferred}) shows it.
     */
    @Test
    void aRequestWaitingForTheModelsOnlySlotIsCountedAsQueued() throws Exception {
        Map<String, Object> oneSlot = launchBody("smol-queue");
        oneSlot.put("n_parallel", 1);
        Http.Answer launched = http.post("/v1/models", oneSlot);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        assertThat(value(scrape(), "jinference_model_requests_queued", "smol-queue")).as("idle").isZero();
        Map<String, Object> chat = new HashMap<>();
        chat.put("model", "smol-queue");
        chat.put("messages", List.of(Map.of("role", "user", "content", "Tell me a long story about a lighthouse.")));
        chat.put("max_tokens", 150);
        chat.put("ignore_eos", true);
        chat.put("stream", true);
        try (Stream<String> first = http.streamLines("/v1/chat/completions", chat)) {
            Iterator<String> events = first.iterator();
            while (!events.next().contains("\"content\":\"")) {
                // until the first stream holds the slot
            }
            java.util.concurrent.CompletableFuture<Http.Answer> second = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> http.post("/v1/chat/completions", Map.of("model", "smol-queue", "max_tokens", 1,
                            "messages", List.of(Map.of("role", "user", "content", "Hi")))));
            String during = scrape();
            for (int look = 0; look < 100 && value(during, "jinference_model_requests_queued", "smol-queue") == 0;
                    look++) {
                Thread.sleep(50);
                during = scrape();
            }
            assertThat(value(during, "jinference_model_requests_queued", "smol-queue")).as("the second request")
                    .isEqualTo(1);
            assertThat(during).contains("# TYPE jinference_model_requests_queued gauge");
            events.forEachRemaining(event -> { });
            assertThat(second.get().status()).isEqualTo(200);
        }
        assertThat(http.delete("/v1/models/smol-queue").status()).isEqualTo(200);
    }

    @Test
    void everyAnswerCarriesARequestIdTheClientsWhenSane() throws Exception {
        HttpResponse<String> given = get("/status", "trace-42.a:b_c");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("trace-42.a:b_c");
        HttpResponse<String> insane = get("/status", "x".repeat(300));
        assertThat(insane.headers().firstValue("X-Request-Id")).get().asString().matches("[0-9a-f-]{36}");
        HttpResponse<String> none = get("/v1/models/no-such-model", null);
        assertThat(none.statusCode()).isBetween(400, 499);
        String id = none.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(LOG.toString(StandardCharsets.UTF_8)).contains("request id=" + id
                + " method=GET route=/v1/models/{model_uid} status=" + none.statusCode() + " ")
                .contains("request id=trace-42.a:b_c method=GET route=/status status=200 total_ms=");
        assertThat(scrape()).as("errors are counted by route template, never by the raw path")
                .doesNotContain("no-such-model").contains("route=\"/v1/models/{model_uid}\"");
    }

    private static HttpResponse<String> get(String path, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String scrape() {
        Http.Answer metrics = http.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
        return metrics.body();
    }

    /** A sample of {@code name} for the model (labels in any order); 0 when the series does not exist yet. */
    private static double value(String exposition, String name, String uid) {
        Matcher sample = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*model_uid=\"" + Pattern.quote(uid)
                + "\"[^}]*\\} (\\S+)$").matcher(exposition);
        return sample.find() ? Double.parseDouble(sample.group(1)) : 0;
    }

    private static String launch(String uid) {
        Http.Answer answer = http.post("/v1/models", launchBody(uid));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("model_uid").asText();
    }

    private static Map<String, Object> launchBody(String uid) {
        Map<String, Object> body = new HashMap<>();
        body.put("model_name", "smollm2-instruct");
        body.put("model_format", "ggufv2");
        body.put("model_engine", "llama.cpp");
        body.put("model_path", SmolLm2ChatTest.smolLm2().toString());
        body.put("model_uid", uid);
        return body;
    }

    /** Writes to two streams. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
