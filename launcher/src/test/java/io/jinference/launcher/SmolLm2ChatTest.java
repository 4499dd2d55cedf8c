package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real chat model end to end: SmolLM2-135M-Instruct (Q4_1 GGUF) launched and asked through REST. */
final class SmolLm2ChatTest {
    @TempDir
    Path home;

    static Path smolLm2() {
        String configured = System.getProperty("JINFERENCE_SMOLLM2", System.getenv("JINFERENCE_SMOLLM2"));
        Path path = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/jinference/models/SmolLM2-135M-Instruct.Q4_1.gguf");
        assertThat(Files.isRegularFile(path))
                .as("SmolLM2 GGUF missing at %s: run scripts/fetch-smollm2.sh (or set JINFERENCE_SMOLLM2)", path)
                .isTrue();
        return path;
    }

    @Test
    void answersTheCapitalOfFrance() {
        Path model = smolLm2();
        try (JinferenceServer server = TestServers.start(home)) {
            Http http = new Http(server.port());
            Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                    "model_format", "ggufv2", "model_path", model.toString()));
            assertThat(launched.status()).as(launched.body()).isEqualTo(200);
            String uid = launched.json().path("model_uid").asText();
            JsonNode answer = http.post("/v1/chat/completions", Map.of("model", uid, "temperature", 0,
                    "max_tokens", 48, "messages",
                    List.of(Map.of("role", "user", "content", "What is the capital of France? Answer in one word.")))).json();
            assertThat(answer.path("choices").get(0).path("message").path("content").asText()).contains("Paris");
        }
    }
}
