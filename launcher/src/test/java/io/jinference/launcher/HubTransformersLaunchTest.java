package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.hub.HfCache;
import io.jinference.hub.HubSettings;
import io.jinference.hub.standin.HubStandIn;
import io.jinference.hub.standin.StandInRepo;
import io.jinference.launcher.rest.Json;
import io.jinference.template.ChatTemplateRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pytorch checkpoint (the tiny Llama Hugging Face transformers made, served by the Hugging Face Hub STAND-IN on
 * loopback) fetched for the Transformers engine by a launch without {@code model_path}.
 */
class HubTransformersLaunchTest {
    private static final String REPO = "jinference-test/tiny-llama-hf";

    @TempDir
    Path temp;

    @Test
    void aPytorchCheckpointIsFetchedForTheTransformersEngine() throws Exception {
        Path checkpoint = TransformersReferences.folder("llama");
        Path cacheRoot = temp.resolve("hf-cache");
        try (HubStandIn standIn = HubStandIn.start()) {
            StandInRepo repo = standIn.add(StandInRepo.ofFolder(REPO, checkpoint));
            HubSettings settings = HubSettings.fromEnvironment(Map.of(), temp)
                    .withHuggingFace(standIn.endpoint(), cacheRoot);
            Path home = temp.resolve("home");
            Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
            try (JinferenceServer server = JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1",
                    0, null, new ChatTemplateRenderer()::render, settings)) {
                Http http = new Http(server.port());
                Map<String, Object> family = Map.of("version", 2, "model_name", "tiny-llama-hub", "context_length",
                        256, "model_lang", List.of("en"), "model_ability", List.of("chat", "generate"),
                        "architectures", List.of("LlamaForCausalLM"),
                        "model_specs", List.of(Map.of("model_format", "pytorch", "model_size_in_billions", "0_001",
                                "quantization", "none", "model_hub", "huggingface", "model_id", REPO)));
                Http.Answer registered = http.post("/v1/model_registrations/LLM",
                        Map.of("model", Json.write(family)));
                assertThat(registered.status()).as(registered.body()).isEqualTo(200);

                Http.Answer launched = http.post("/v1/models", Map.of("model_name", "tiny-llama-hub",
                        "model_engine", "Transformers", "model_uid", "tiny"));
                assertThat(launched.status()).as(launched.body()).isEqualTo(200);
                JsonNode described = http.get("/v1/models/tiny").json();
                assertThat(described.path("model_engine").asText()).isEqualTo("Transformers");
                assertThat(described.path("model_revision").asText()).isEqualTo(repo.commit());

                Path snapshot = new HfCache(cacheRoot).snapshotDir(REPO, repo.commit());
                for (String file : List.of("config.json", "tokenizer.json")) {
                    assertThat(Files.mismatch(snapshot.resolve(file), checkpoint.resolve(file))).isEqualTo(-1);
                }
                assertThat(snapshot.resolve("reference.json")).as("not part of a checkpoint").doesNotExist();

                Http.Answer answer = http.post("/v1/chat/completions", Map.of("model", "tiny", "max_tokens", 8,
                        "temperature", 0, "messages", List.of(Map.of("role", "user", "content", "Hello!"))));
                assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                assertThat(answer.json().path("usage").path("completion_tokens").asInt()).isEqualTo(8);
            }
        }
    }
}
