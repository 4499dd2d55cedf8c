package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.hub.HfCache;
import io.jinference.hub.HubSettings;
import io.jinference.hub.standin.HubStandIn;
import io.jinference.hub.standin.StandInRepo;
import io.jinference.launcher.rest.Json;
import io.jinference.template.ChatTemplateRenderer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split GGUF (SmolLM2 in three parts, made by {@code scripts/split-smollm2.sh} with gguf-py's writer) served by
 * the Hugging Face Hub STAND-IN on loopback: a launch fetches every part, llama.cpp loads them from the first, and the
 * model answers.
 */
class HubSplitGgufLaunchTest {
    private static final String REPO = "jinference-test/SmolLM2-135M-Instruct-split-GGUF";

    @TempDir
    Path temp;

    @Test
    void aSplitGgufIsFetchedWholeAndServes() throws Exception {
        Path parts = splitParts();
        Path cacheRoot = temp.resolve("hf-cache");
        try (HubStandIn standIn = HubStandIn.start()) {
            StandInRepo repo = standIn.add(StandInRepo.ofFolder(REPO, parts));
            HubSettings settings = HubSettings.fromEnvironment(Map.of(), temp)
                    .withHuggingFace(standIn.endpoint(), cacheRoot);
            Path home = temp.resolve("home");
            Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
            try (JinferenceServer server = JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1",
                    0, null, new ChatTemplateRenderer()::render, settings)) {
                Http http = new Http(server.port());
                Map<String, Object> family = Map.of("version", 2, "model_name", "smollm2-split",
                        "context_length", 2048, "model_lang", List.of("en"), "model_ability", List.of("chat"),
                        "architectures", List.of("LlamaForCausalLM"), "chat_template", "smollm2-instruct",
                        "model_specs", List.of(Map.of("model_format", "ggufv2", "model_size_in_billions", "0_135",
                                "quantization", "Q4_1", "model_hub", "huggingface", "model_id", REPO,
                                "model_file_name_template", "SmolLM2-135M-Instruct.{quantization}.gguf")));
                Http.Answer registered = http.post("/v1/model_registrations/LLM",
                        Map.of("model", Json.write(family)));
                assertThat(registered.status()).as(registered.body()).isEqualTo(200);

                Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-split",
                        "model_uid", "split"));
                assertThat(launched.status()).as(launched.body()).isEqualTo(200);
                JsonNode progress = http.get("/v1/models/split/progress").json();
                assertThat(progress.path("download").path("files").asInt()).isEqualTo(3);

                Path snapshot = new HfCache(cacheRoot).snapshotDir(REPO, repo.commit());
                for (String part : repo.files().keySet()) {
                    assertThat(Files.mismatch(snapshot.resolve(part), parts.resolve(part))).as(part).isEqualTo(-1);
                }
                JsonNode answer = http.post("/v1/chat/completions", Map.of("model", "split", "temperature", 0,
                        "max_tokens", 48, "messages",
                        List.of(Map.of("role", "user", "content", "What is the capital of France? Answer in one word.")))).json();
                assertThat(answer.path("choices").get(0).path("message").path("content").asText()).contains("Paris");
            }
        }
    }

    /** The parts, made (once, into the Jinference cache) by the project's script. */
    private static Path splitParts() throws IOException, InterruptedException {
        Path script = Path.of("..", "scripts", "split-smollm2.sh").toAbsolutePath().normalize();
        Process process = new ProcessBuilder(script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor()).as("scripts/split-smollm2.sh failed").isZero();
        String[] lines = printed.split("\n");
        return Path.of(lines[lines.length - 1]);
    }
}
