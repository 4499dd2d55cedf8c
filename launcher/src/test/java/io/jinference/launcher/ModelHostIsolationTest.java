package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What used to abort the whole server when llama.cpp ran in its JVM, against a real {@code jinf serve} process
 * that serves SmolLM2 and streams from it at the same time: a native abort now takes down only the model host of
 * the bad model. The bad model fails with a clear reason (4xx on launch, or {@code failed} and 503), the other
 * model's stream completes, {@code /status} answers, and the server process never maps an engine's native library.
 */
final class ModelHostIsolationTest {
    private static final String STREAMER = "streamer";

    @TempDir
    static Path home;
    static ServerProcess server;
    static Http http;

    @BeforeAll
    static void start() {
        server = ServerProcess.start(home.resolve("home"), List.of("-Xmx512m"));
        http = server.http();
        Http.Answer launched = launch(STREAMER, SmolLm2ChatTest.smolLm2(), Map.of("n_parallel", 2));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Http.Answer launch(String uid, Path model, Map<String, Object> options) {
        Map<String, Object> body = new java.util.HashMap<>(options);
        body.put("model_name", "smollm2-instruct");
        body.put("model_format", "ggufv2");
        body.put("model_path", model.toString());
        body.put("model_uid", uid);
        return http.post("/v1/models", body);
    }

    /** A streamed completion from the healthy model, running in the background while the test does harm. */
    private static CompletableFuture<List<String>> streamFromTheHealthyModel() {
        CompletableFuture<List<String>> done = new CompletableFuture<>();
        Stream<String> lines = http.streamLines("/v1/chat/completions", Map.of("model", STREAMER, "stream", true,
                "max_tokens", 200, "temperature", 0, "messages",
                List.of(Map.of("role", "user", "content", "Tell me a long story about a cat and a dog."))));
        // The first event has arrived when streamLines returns the stream's first line: the stream is running.
        var iterator = lines.iterator();
        String first = iterator.next();
        Thread reader = new Thread(() -> {
            List<String> all = new java.util.ArrayList<>(List.of(first));
            iterator.forEachRemaining(all::add);
            done.complete(all);
        }, "healthy-stream");
        reader.start();
        return done;
    }

    private static void assertStreamCompleted(CompletableFuture<List<String>> stream) {
        List<String> lines = stream.join();
        String text = String.join("\n", lines);
        assertThat(lines).as(text).contains("data: [DONE]");
        assertThat(text).as(text).contains("\"finish_reason\":\"");
        assertThat(text).doesNotContain("\"error\"");
    }

    private static void assertServerServes() {
        assertThat(server.isAlive()).as(server.logText()).isTrue();
        assertThat(http.get("/status").status()).isEqualTo(200);
    }

    @Test
    void twoShortEmbeddingsCannotTakeTheServerDown() {
        Http.Answer launched = launch("smol-embed", SmolLm2ChatTest.smolLm2(), Map.of("embedding", true));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        CompletableFuture<List<String>> stream = streamFromTheHealthyModel();

        for (String input : List.of("hi", "cat")) {
            Http.Answer embedded = http.post("/v1/embeddings", Map.of("model", "smol-embed", "input", input));
            System.out.printf("embedding of %s: %d %s%n", input, embedded.status(),
                    embedded.body().substring(0, Math.min(200, embedded.body().length())));
            // Either llama.cpp embeds it, or its abort took down the model host only: 503 with the reason.
            assertThat(embedded.status()).as(embedded.body()).isIn(200, 503);
            if (embedded.status() == 503) {
                assertThat(embedded.body()).contains("smol-embed");
            }
            assertServerServes();
        }
        JsonNode described = http.get("/v1/models/smol-embed").json();
        assertThat(described.path("status").asText()).as(described.toString()).isIn("ready", "failed");
        assertStreamCompleted(stream);
        assertServerServes();
        assertThat(http.delete("/v1/models/smol-embed").status()).isEqualTo(200);
    }

    static Stream<Arguments> damagedModels() {
        return Stream.of(
                Arguments.of("no-blocks", (UnaryOperator<TinyGguf>) gguf -> gguf.metadataU32("llama.block_count", 0)),
                Arguments.of("thousand-experts",
                        (UnaryOperator<TinyGguf>) gguf -> gguf.metadataU32("llama.expert_count", 1000)),
                Arguments.of("experts-used-without-experts",
                        (UnaryOperator<TinyGguf>) gguf -> gguf.metadataU32("llama.expert_used_count", 4)),
                Arguments.of("int-merges", (UnaryOperator<TinyGguf>) gguf -> gguf
                        .metadataString("tokenizer.ggml.model", "gpt2")
                        .metadataI32Array("tokenizer.ggml.merges", 1, 2, 3)),
                Arguments.of("int-tokens", (UnaryOperator<TinyGguf>) gguf -> gguf
                        .metadataI32Array("tokenizer.ggml.tokens", new int[TinyGguf.VOCAB_SIZE])),
                Arguments.of("nan-epsilon", (UnaryOperator<TinyGguf>) gguf -> gguf
                        .metadataF32("llama.attention.layer_norm_rms_epsilon", Float.NaN)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("damagedModels")
    void aDamagedGgufFailsAloneWithAClearReason(String name, UnaryOperator<TinyGguf> damage) {
        Path file = damage.apply(TinyGguf.builder()).write(home.resolve(name + ".gguf"));
        CompletableFuture<List<String>> stream = streamFromTheHealthyModel();

        Http.Answer launched = launch(name, file, Map.of());
        System.out.printf("%s: launch answered %d %s%n", name, launched.status(), launched.body());
        if (launched.status() == 200) {
            // It loaded, then failed serving: the model says so and its requests get 503 with the reason.
            Http.Answer chat = http.post("/v1/chat/completions", Map.of("model", name, "max_tokens", 4,
                    "messages", List.of(Map.of("role", "user", "content", "hi"))));
            if (chat.status() != 200) {
                assertThat(chat.status()).as(chat.body()).isEqualTo(503);
                assertThat(http.get("/v1/models/" + name).json().path("status").asText()).isEqualTo("failed");
            }
            http.delete("/v1/models/" + name);
        } else {
            assertThat(launched.status()).as(launched.body()).isBetween(400, 499);
            assertThat(launched.detail()).as(launched.body()).isNotBlank().contains(name);
        }
        assertServerServes();
        assertStreamCompleted(stream);
        assertServerServes();
    }

    @Test
    void theServerProcessMapsNoEngineNativeLibrary() {
        Http.Answer chat = http.post("/v1/chat/completions", Map.of("model", STREAMER, "max_tokens", 8,
                "messages", List.of(Map.of("role", "user", "content", "Hello"))));
        assertThat(chat.status()).as(chat.body()).isEqualTo(200);

        assertThat(nativeEngineLibraries(server.pid())).as("engine libraries mapped by the server").isEmpty();
        long hostPid = http.get("/v1/models/" + STREAMER).json().path("engine_details").path("process_pid").asLong();
        assertThat(hostPid).isPositive();
        assertThat(nativeEngineLibraries(hostPid)).as("the model host maps llama.cpp").isNotEmpty();
    }

    private static String nativeEngineLibraries(long pid) {
        return ServerProcess.proc(pid, "maps").stream()
                .filter(line -> line.contains("libjllama") || line.contains("libtorch") || line.contains("libllama")
                        || line.contains("libggml"))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .distinct()
                .collect(Collectors.joining(", "));
    }
}
