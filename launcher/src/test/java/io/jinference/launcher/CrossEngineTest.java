package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.rest.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same tiny Llama weights, once as transformers saved them and once as an F32 GGUF with the same byte-level
 * vocabulary (both written by {@code scripts/transformers-reference.py}), served by the Transformers and llama.cpp
 * engines: their 32 greedy tokens equal the continuation transformers itself recorded. The checkpoint's LM head only
 * picks printable ASCII bytes, one token per character, so comparing text compares tokens.
 */
final class CrossEngineTest {
    private static final String FAMILY = "tiny-llama-cross";
    /** transformers' reference prompt: BOS then "Hello world! The sky", one token per byte. */
    private static final String PROMPT = "<s>Hello world! The sky";

    @TempDir
    static Path home;
    static Path checkpoint;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        checkpoint = TransformersReferences.folder("llama-cross");
        server = TestServers.start(home);
        http = new Http(server.port());
        Map<String, Object> family = Map.of("version", 2, "model_name", FAMILY, "context_length", 256,
                "model_lang", List.of("en"), "model_ability", List.of("generate"),
                "architectures", List.of("LlamaForCausalLM"),
                "model_specs", List.of(
                        Map.of("model_format", "pytorch", "model_size_in_billions", "0_001", "quantization", "none",
                                "model_uri", checkpoint.toUri().toString()),
                        Map.of("model_format", "ggufv2", "model_size_in_billions", "0_001", "quantization", "F32",
                                "model_uri", checkpoint.resolve("llama-cross-f32.gguf").toUri().toString())));
        Http.Answer registered = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(family)));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void llamaCppAndTransformersGiveTransformersGreedyTokens() throws IOException {
        JsonNode reference = Http.MAPPER.readTree(Files.readString(checkpoint.resolve("reference.json")));
        StringBuilder expected = new StringBuilder();
        reference.path("greedy").forEach(token -> expected.append((char) token.asInt()));
        assertThat(expected).hasSize(32);

        assertThat(greedyText("Transformers", "pytorch")).isEqualTo(expected.toString());
        assertThat(greedyText("llama.cpp", "ggufv2")).isEqualTo(expected.toString());
    }

    private static String greedyText(String engine, String format) {
        String uid = "cross-" + format;
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", FAMILY, "model_uid", uid,
                "model_engine", engine, "model_format", format));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        try {
            Http.Answer answer = http.post("/v1/completions", Map.of("model", uid, "prompt", PROMPT,
                    "max_tokens", 32, "temperature", 0));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("usage").path("prompt_tokens").asInt()).as(engine + " prompt tokens")
                    .isEqualTo(21);
            return answer.json().path("choices").get(0).path("text").asText();
        } finally {
            http.delete("/v1/models/" + uid);
        }
    }
}
