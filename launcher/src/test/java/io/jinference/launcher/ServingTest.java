package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.cli.ChatCommand;
import io.jinference.launcher.cli.EnginesCommand;
import io.jinference.launcher.cli.LaunchCommand;
import io.jinference.launcher.cli.ListCommand;
import io.jinference.launcher.cli.TerminateCommand;
import io.jinference.testing.BrokenGguf;
import io.jinference.testing.TinyGguf;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serving a real GGUF (the tiny generated llama) through the real llama.cpp engine bundle in Felix, over real
 * HTTP: OpenAI and Xinference endpoints, streaming, limits, cancellation, concurrency and bad model files.
 */
final class ServingTest {
    private static final String FAMILY = "smollm2-instruct";

    @TempDir
    static Path home;
    static Path tinyModel;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        tinyModel = TinyGguf.builder().contextLength(4096).write(home.resolve("tiny.gguf"));
        server = TestServers.start(home);
        http = new Http(server.port());
        assertLaunched(launch("tiny", Map.of("n_parallel", 8, "n_ctx", 512)));
        assertLaunched(launch("tiny-serial", Map.of("n_parallel", 1, "n_ctx", 1024)));
    }

    private static void assertLaunched(Http.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Answer launch(String uid, Map<String, Object> options) {
        Map<String, Object> body = new HashMap<>(options);
        body.put("model_name", FAMILY);
        body.put("model_format", "ggufv2");
        body.put("model_path", tinyModel.toString());
        if (uid != null) {
            body.put("model_uid", uid);
        }
        return http.post("/v1/models", body);
    }

    private static Map<String, Object> chat(String model, int maxTokens, Object... more) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", model);
        body.put("messages", List.of(Map.of("role", "system", "content", "You are terse."),
                Map.of("role", "user", "content", "Say something.")));
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0);
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    @Test
    void launchedModelIsDescribedWithTheChosenEngine() {
        JsonNode description = http.get("/v1/models/tiny").json();
        assertThat(description.path("model_type").asText()).isEqualTo("LLM");
        assertThat(description.path("model_engine").asText()).isEqualTo("llama.cpp");
        assertThat(description.path("model_ability").toString()).contains("chat");
        assertThat(description.path("status").asText()).isEqualTo("ready");
        assertThat(description.path("why").asText()).isNotBlank();
        JsonNode list = http.get("/v1/models").json();
        assertThat(list.path("object").asText()).isEqualTo("list");
        assertThat(list.path("data").findValuesAsText("id")).contains("tiny", "tiny-serial");
    }

    @Test
    void plainChatAnswersAChatCompletionWithUsage() {
        Http.Answer answer = http.post("/v1/chat/completions", chat("tiny", 8));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = answer.json();
        assertThat(json.path("object").asText()).isEqualTo("chat.completion");
        assertThat(json.path("choices").get(0).path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(json.path("choices").get(0).path("message").path("content").isTextual()).isTrue();
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(json.path("usage").path("total_tokens").asInt())
                .isEqualTo(json.path("usage").path("prompt_tokens").asInt()
                        + json.path("usage").path("completion_tokens").asInt());
    }

    @Test
    void maxTokensEndsWithFinishReasonLength() {
        JsonNode json = http.post("/v1/chat/completions", chat("tiny", 5)).json();
        assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(json.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
    }

    @Test
    void streamIsPlainSseWithFinishReasonUsageAndDone() {
        Http.Answer answer = http.post("/v1/chat/completions",
                chat("tiny", 12, "stream", true, "stream_options", Map.of("include_usage", true)));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        assertThat(answer.body()).doesNotContain("event:").endsWith("data: [DONE]\n\n");
        List<JsonNode> events = answer.events();
        assertThat(events.get(0).path("choices").get(0).path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(events).allSatisfy(event -> assertThat(event.path("object").asText())
                .isEqualTo("chat.completion.chunk"));
        JsonNode last = events.get(events.size() - 1);
        assertThat(last.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
        JsonNode finish = events.get(events.size() - 2);
        assertThat(finish.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        String streamed = streamedText(events);
        String plain = http.post("/v1/chat/completions", chat("tiny", 12)).json()
                .path("choices").get(0).path("message").path("content").asText();
        assertThat(streamed).isEqualTo(plain);
    }

    private static String streamedText(List<JsonNode> events) {
        StringBuilder text = new StringBuilder();
        events.forEach(event -> event.path("choices").forEach(choice ->
                text.append(choice.path("delta").path("content").asText(""))));
        return text.toString();
    }

    @Test
    void aStreamTheEngineRefusesBeforeItsFirstTokenIsAPlain400() {
        Map<String, Object> body = new HashMap<>(chat("tiny-serial", 8, "stream", true));
        body.put("messages", List.of(Map.of("role", "user", "content", "x".repeat(3000))));
        Http.Answer answer = http.post("/v1/chat/completions", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.detail()).contains("n_ctx");
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() {
        String full = http.post("/v1/chat/completions", chat("tiny", 24)).json()
                .path("choices").get(0).path("message").path("content").asText();
        assertThat(full.length()).as("greedy output: " + full).isGreaterThan(6);
        String stop = full.substring(4, 6);
        JsonNode stopped = http.post("/v1/chat/completions", chat("tiny", 24, "stop", List.of(stop))).json();
        JsonNode choice = stopped.path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.path("message").path("content").asText()).isEqualTo(full.substring(0, full.indexOf(stop)));
    }

    @Test
    void completionsAnswerATextCompletion() {
        JsonNode json = http.post("/v1/completions", Map.of("model", "tiny", "prompt", "Once upon a time",
                "max_tokens", 6, "temperature", 0)).json();
        assertThat(json.path("object").asText()).isEqualTo("text_completion");
        assertThat(json.path("choices").get(0).path("text").isTextual()).isTrue();
        assertThat(json.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void aClientThatGoesAwayMidStreamFreesTheSlot() {
        try (Stream<String> lines = http.streamLines("/v1/chat/completions",
                chat("tiny-serial", 600, "stream", true))) {
            assertThat(lines.filter(line -> line.startsWith("data: ")).limit(3).count()).isEqualTo(3);
        }
        Http.Answer next = http.post("/v1/chat/completions", chat("tiny-serial", 4));
        assertThat(next.status()).as(next.body()).isEqualTo(200);
        assertThat(next.json().path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void eightConcurrentStreamsAllComplete() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(clients.submit(() -> http.post("/v1/chat/completions",
                        chat("tiny", 16, "stream", true))));
            }
            for (Future<Http.Answer> future : answers) {
                Http.Answer answer = future.get();
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.body()).endsWith("data: [DONE]\n\n").doesNotContain("\"error\"");
                List<JsonNode> events = answer.events();
                assertThat(events.get(events.size() - 1).path("choices").get(0).path("finish_reason").asText())
                        .isEqualTo("length");
            }
        } finally {
            clients.shutdownNow();
        }
    }

    @Test
    void aTakenUidGetsASuffixAndTerminateFreesIt() {
        Http.Answer first = launch(null, Map.of("n_ctx", 512));
        Http.Answer second = launch(null, Map.of("n_ctx", 512));
        String firstUid = first.json().path("model_uid").asText();
        String secondUid = second.json().path("model_uid").asText();
        assertThat(secondUid).startsWith(firstUid + "-").hasSize(firstUid.length() + 9);
        assertThat(launch("tiny", Map.of()).status()).isEqualTo(400);
        for (String uid : List.of(firstUid, secondUid)) {
            assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
            assertThat(http.get("/v1/models/" + uid).status()).isEqualTo(404);
        }
    }

    @Test
    void corruptAndTruncatedGgufFailToLaunchAndTheServerStaysUp() {
        Path notGguf = BrokenGguf.notGguf(home.resolve("not.gguf"));
        Path truncated = BrokenGguf.truncatedHalf(tinyModel, home.resolve("truncated.gguf"));
        for (Path bad : List.of(notGguf, truncated)) {
            Http.Answer answer = http.post("/v1/models", Map.of("model_name", FAMILY, "model_format", "ggufv2",
                    "model_path", bad.toString(), "model_uid", "bad"));
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.detail()).isNotBlank().doesNotContain("Exception");
            assertThat(http.get("/status").status()).isEqualTo(200);
            assertThat(http.get("/v1/models/bad").status()).isEqualTo(404);
        }
    }

    @Test
    void aModelThatFailedInTheBackgroundAnswers503WithTheReason() throws InterruptedException {
        // GGUF magic, so the launch is accepted at once; the load fails later, in the background
        Path truncated = BrokenGguf.truncatedHalf(tinyModel, home.resolve("background.gguf"));
        Http.Answer launched = http.post("/v1/models?wait_ready=false", Map.of("model_name", FAMILY,
                "model_format", "ggufv2", "model_path", truncated.toString(), "model_uid", "late"));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        String status = "";
        for (int i = 0; i < 100 && !status.equals("failed"); i++) {
            Thread.sleep(100);
            status = http.get("/v1/models/late").json().path("status").asText();
        }
        assertThat(status).isEqualTo("failed");
        Http.Answer chat = http.post("/v1/chat/completions", chat("late", 4));
        assertThat(chat.status()).isEqualTo(503);
        assertThat(chat.detail()).contains("late");
        assertThat(http.delete("/v1/models/late").status()).isEqualTo(200);
    }

    @Test
    void embeddingsComeFromAModelLaunchedWithEmbeddingOn() {
        assertLaunched(launch("tiny-embed", Map.of("embedding", true, "n_ctx", 256)));
        JsonNode json = http.post("/v1/embeddings", Map.of("model", "tiny-embed",
                "input", List.of("hello", "world"))).json();
        assertThat(json.path("object").asText()).isEqualTo("list");
        assertThat(json.path("data")).hasSize(2);
        assertThat(json.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(json.path("data").get(0).path("embedding")).hasSize(TinyGguf.EMBEDDING_LENGTH);
        assertThat(json.path("usage").path("prompt_tokens").asInt()).isPositive();
        assertThat(http.delete("/v1/models/tiny-embed").status()).isEqualTo(200);

        Http.Answer refused = http.post("/v1/embeddings", Map.of("model", "tiny", "input", "hello"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isNotBlank();
        assertThat(http.post("/v1/embeddings", Map.of("model", "tiny", "input", List.of())).status())
                .isEqualTo(400);
    }

    @Test
    void theCommandLineLaunchesListsChatsAndTerminates() {
        String endpoint = "--endpoint=http://127.0.0.1:" + server.port();
        String uid = Cli.run(new LaunchCommand(), FAMILY, "--format", "ggufv2", "--model-path", tinyModel.toString(),
                "--model-uid", "cli-tiny", "--n-parallel", "1", endpoint).strip();
        assertThat(uid).isEqualTo("cli-tiny");
        assertThat(Cli.run(new ListCommand(), endpoint)).contains("cli-tiny").contains("llama.cpp");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("Hello\nAgain\n/exit\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(Cli.run(new ChatCommand(), "cli-tiny", "--max-tokens", "4", endpoint)).startsWith("> ")
                    .contains("\n> ");
        } finally {
            System.setIn(stdin);
        }
        assertThat(Cli.run(new EnginesCommand(), FAMILY, "--format", "ggufv2", endpoint)).contains("Choice: llama.cpp");
        assertThat(Cli.run(new TerminateCommand(), "cli-tiny", endpoint)).contains("Terminated cli-tiny");
        assertThat(http.get("/v1/models/cli-tiny").status()).isEqualTo(404);
    }

    @Test
    void badSamplingParametersAre400() {
        assertThat(http.post("/v1/chat/completions", chat("tiny", 0)).status()).isEqualTo(400);
        assertThat(http.post("/v1/chat/completions", chat("tiny", 4, "temperature", "hot")).status()).isEqualTo(400);
        Http.Answer role = http.post("/v1/chat/completions", Map.of("model", "tiny",
                "messages", List.of(Map.of("role", "wizard", "content", "hi"))));
        assertThat(role.status()).isEqualTo(400);
        assertThat(role.detail()).contains("wizard");
    }
}
