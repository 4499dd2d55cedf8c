package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.rest.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's vLLM rule, end to end through the real server and the real managed-engine bundles, for a given host
 * profile (no GPU needed): with {@code linux-x86_64-cuda} vLLM is offered exactly for pytorch (no quantization),
 * AWQ Int4 and GPTQ Int3/4/8 of models in its list, and every other case names its reason code.
 */
final class VllmSelectionRulesTest {
    private static final String CUDA = "linux-x86_64-cuda";

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void offersVllmForTheSeedsFormatsAndQuantizations() {
        JsonNode vllm = candidate(explain("qwen2.5-instruct", CUDA, ""), "vLLM");

        assertThat(vllm.path("available").asBoolean()).as(vllm.toString()).isTrue();
        assertThat(specs(vllm, "pytorch")).containsExactly("none");
        assertThat(specs(vllm, "awq")).containsExactly("Int4");
        assertThat(specs(vllm, "gptq")).containsExactlyInAnyOrder("Int4", "Int8");
        assertThat(specs(vllm, "ggufv2")).isEmpty();
        assertThat(specs(vllm, "mlx")).isEmpty();
    }

    @Test
    void withNoEngineNamedASeedModelInPytorchFormatGoesToVllm() {
        JsonNode choice = explain("llama-3-instruct", CUDA, "&model_format=pytorch").path("choice");

        assertThat(choice.path("engine").asText()).as(choice.toString()).isEqualTo("vLLM");
        assertThat(choice.path("quantization").asText()).isEqualTo("none");
    }

    @Test
    void everyOtherCaseHasItsReasonCode() {
        assertThat(codes("qwen2.5-instruct", CUDA, "&model_format=pytorch&quantization=4-bit"))
                .contains("QUANTIZATION_UNSUPPORTED");
        assertThat(codes("qwen2.5-instruct", CUDA, "&model_format=ggufv2")).contains("FORMAT_UNSUPPORTED");
        assertThat(codes("qwen2.5-instruct", "macos-arm64", "&model_format=pytorch")).contains("OS_UNSUPPORTED");
        assertThat(codes("qwen2.5-instruct", "linux-x86_64-cpu", "&model_format=pytorch"))
                .contains("DEVICE_MISSING");
        // SGLang and MLX follow their own rules on the same host.
        assertThat(specs(candidate(explain("qwen3", CUDA, ""), "SGLang"), "fp8")).isNotEmpty();
        assertThat(specs(candidate(explain("qwen3", CUDA, ""), "vLLM"), "fp8")).isEmpty();
        assertThat(candidate(explain("qwen2.5-instruct", CUDA, "&model_format=mlx"), "MLX").toString())
                .contains("OS_UNSUPPORTED");
    }

    @Test
    void customModelsAreJudgedByTheirArchitecture() {
        register("my-qwen-like", "Qwen2ForCausalLM");
        register("my-exotic", "ExoticForCausalLM");

        assertThat(candidate(explain("my-qwen-like", CUDA, ""), "vLLM").path("available").asBoolean()).isTrue();
        assertThat(codes("my-exotic", CUDA, "")).contains("MODEL_UNSUPPORTED");
    }

    private static void register(String name, String architecture) {
        Map<String, Object> family = Map.of("version", 2, "model_name", name, "context_length", 4096,
                "model_lang", List.of("en"), "model_ability", List.of("chat"), "architectures", List.of(architecture),
                "model_specs", List.of(Map.of("model_format", "pytorch", "model_size_in_billions", 1,
                        "quantization", "none", "model_uri", "file:///tmp/" + name)));
        Http.Answer answer = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(family)));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    private static JsonNode explain(String model, String profile, String query) {
        Http.Answer answer = http.get("/v1/engines/" + model + "/explain?host_profile=" + profile + query);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    private static JsonNode candidate(JsonNode decision, String engine) {
        for (JsonNode candidate : decision.path("candidates")) {
            if (candidate.path("engine").asText().equals(engine)) {
                return candidate;
            }
        }
        throw new AssertionError(engine + " is not a candidate: " + decision);
    }

    private static List<String> specs(JsonNode candidate, String format) {
        for (JsonNode spec : candidate.path("specs")) {
            if (spec.path("model_format").asText().equals(format)) {
                List<String> quantizations = new ArrayList<>();
                spec.path("quantizations").forEach(quantization -> quantizations.add(quantization.asText()));
                return quantizations;
            }
        }
        return List.of();
    }

    private static List<String> codes(String model, String profile, String query) {
        return candidate(explain(model, profile, query), "vLLM").path("reasons").findValuesAsText("code");
    }
}
