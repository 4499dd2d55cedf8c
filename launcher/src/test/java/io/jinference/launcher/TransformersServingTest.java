package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.rest.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Hugging Face pytorch-format checkpoint (transformers' tiny random Llama, from a local folder) served by the real
 * Transformers engine bundles in Felix over real HTTP: named explicitly and chosen by the registry, chat plain and
 * streaming, terminate, and bad checkpoint folders refused while the server stays up.
 */
final class TransformersServingTest {
    private static final String FAMILY = "tiny-llama-hf";

    @TempDir
    static Path home;
    static Path checkpoint;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        checkpoint = TransformersReferences.folder("llama");
        server = TestServers.start(home);
        http = new Http(server.port());
        Map<String, Object> family = Map.of("version", 2, "model_name", FAMILY, "context_length", 256,
                "model_lang", List.of("en"), "model_ability", List.of("chat", "generate"),
                "architectures", List.of("LlamaForCausalLM"),
                "model_specs", List.of(Map.of("model_format", "pytorch", "model_size_in_billions", "0_001",
                        "quantization", "none", "model_uri", checkpoint.toUri().toString())));
        Http.Answer registered = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(family)));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static Http.Answer launch(String uid, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("model_name", FAMILY, "model_uid", uid));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return http.post("/v1/models", body);
    }

    private static Map<String, Object> chat(String model, boolean stream) {
        return Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", "Hello!")),
                "max_tokens", 8, "temperature", 0, "stream", stream);
    }

    @Test
    void namedTransformersEngineLaunchesChatsAndTerminates() {
        Http.Answer launched = launch("hf-named", "model_engine", "Transformers", "model_format", "pytorch");
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        assertThat(http.get("/v1/models/hf-named").json().path("model_engine").asText()).isEqualTo("Transformers");
        chatsPlainAndStreaming("hf-named");
        terminates("hf-named");
    }

    @Test
    void theRegistryChoosesTransformersForAPytorchCheckpointOnThisCpuHost() {
        Http.Answer launched = launch("hf-chosen");
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        JsonNode description = http.get("/v1/models/hf-chosen").json();
        assertThat(description.path("model_engine").asText()).isEqualTo("Transformers");
        // vLLM and SGLang come first for pytorch in the default policy but cannot run on a CPU-only host
        assertThat(description.path("why").asText()).as(description.toString()).startsWith("Transformers")
                .contains("first in policy 'pytorch", "CPU only");
        chatsPlainAndStreaming("hf-chosen");
        terminates("hf-chosen");
    }

    /**
     * An in-process engine's stream cut by terminating its model: the engine's token sink reports cancellation, so it
     * stops at once, and the stream ends with an error event, never with a finish reason that claims it is whole.
     */
    @Test
    void aStreamCutByTerminatingItsModelEndsWithAnErrorEventNotAFinishReason() throws Exception {
        Http.Answer launched = launch("hf-doomed", "model_engine", "Transformers", "model_format", "pytorch");
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        Map<String, Object> longStream = Map.of("model", "hf-doomed", "messages", List.of(Map.of("role", "user",
                "content", "Hello!")), "max_tokens", 240, "temperature", 0, "stream", true);
        try (java.util.stream.Stream<String> lines = http.streamLines("/v1/chat/completions", longStream)) {
            java.util.Iterator<String> events = lines.iterator();
            while (events.hasNext() && !events.next().startsWith("data: {")) {
                // Wait for the stream to start.
            }

            terminates("hf-doomed");

            List<String> rest = new java.util.ArrayList<>();
            events.forEachRemaining(line -> {
                if (line.startsWith("data: ")) {
                    rest.add(line);
                }
            });
            assertThat(rest).last().isEqualTo("data: [DONE]");
            assertThat(rest).noneMatch(line -> line.contains("\"finish_reason\":\""));
            JsonNode error = Http.MAPPER.readTree(rest.get(rest.size() - 2).substring("data: ".length()))
                    .path("error");
            assertThat(error.path("type").asText()).as(rest.toString()).isEqualTo("model_terminated");
            assertThat(error.path("code").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText()).isEqualTo("Model hf-doomed was terminated while generating");
        }
    }

    private static void chatsPlainAndStreaming(String uid) {
        Http.Answer plain = http.post("/v1/chat/completions", chat(uid, false));
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        JsonNode choice = plain.json().path("choices").get(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("length");
        assertThat(plain.json().path("usage").path("completion_tokens").asInt()).isEqualTo(8);

        Http.Answer streamed = http.post("/v1/chat/completions", chat(uid, true));
        assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        StringBuilder text = new StringBuilder();
        streamed.events().forEach(event -> event.path("choices").forEach(delta ->
                text.append(delta.path("delta").path("content").asText(""))));
        assertThat(text.toString()).as("greedy stream equals greedy answer")
                .isEqualTo(choice.path("message").path("content").asText());
    }

    private static void terminates(String uid) {
        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
        assertThat(http.get("/v1/models/" + uid).status()).isEqualTo(404);
    }

    @Test
    void badOrMissingCheckpointFilesAre400AndTheServerStaysUp() throws IOException {
        Path empty = Files.createDirectories(home.resolve("empty-checkpoint"));
        Path corrupt = Files.createDirectories(home.resolve("corrupt-checkpoint"));
        for (String file : List.of("config.json", "tokenizer.json", "tokenizer_config.json")) {
            Files.copy(checkpoint.resolve(file), corrupt.resolve(file));
        }
        Files.writeString(corrupt.resolve("model.safetensors"), "not safetensors");
        for (Path bad : List.of(empty, corrupt, home.resolve("no-such-folder"))) {
            Http.Answer answer = launch("bad", "model_engine", "Transformers", "model_format", "pytorch",
                    "model_path", bad.toString());
            assertThat(answer.status()).as(answer.body()).isEqualTo(400);
            assertThat(answer.detail()).as(bad.toString()).isNotBlank().doesNotContain("Exception");
            assertThat(http.get("/status").status()).isEqualTo(200);
            assertThat(http.get("/v1/models/bad").status()).isEqualTo(404);
        }
    }
}
