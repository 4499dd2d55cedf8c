package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.cli.EnginesCommand;
import io.jinference.launcher.rest.Json;
import io.jinference.launcher.rest.RestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST surface that needs no loaded model, against one real server (Felix + bundles + Javalin). */
final class RestApiTest {
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
    void statusAndClusterAnswerLikeXinference() {
        Http.Answer status = http.get("/status");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.json().path("uptime").isNumber()).isTrue();
        assertThat(status.json().path("workers").size()).isEqualTo(1);
        assertThat(http.get("/v1/cluster/auth").json().path("auth").asBoolean(true)).isFalse();
        JsonNode info = http.get("/v1/cluster/info").json();
        assertThat(info).hasSize(2);
        assertThat(info.get(1).path("node_type").asText()).isEqualTo("Worker");
        assertThat(http.get("/v1/cluster/devices").json().asInt(-1)).isZero();
    }

    @Test
    void enginesOfAGgufModelOfferLlamaCpp() {
        Http.Answer engines = http.get("/v1/engines/smollm2-instruct");
        assertThat(engines.status()).isEqualTo(200);
        JsonNode llamaCpp = engines.json().path("llama.cpp");
        assertThat(llamaCpp.isArray()).as(engines.body()).isTrue();
        assertThat(llamaCpp.get(0).path("model_format").asText()).isEqualTo("ggufv2");
    }

    @Test
    void explainNamesTheChoiceAndThePolicy() {
        JsonNode explain = http.get("/v1/engines/smollm2-instruct/explain?model_format=ggufv2").json();
        assertThat(explain.path("choice").path("engine").asText()).isEqualTo("llama.cpp");
        assertThat(explain.path("choice").path("why").asText()).isNotBlank();
        assertThat(explain.path("policy").asText()).isNotBlank();
        assertThat(explain.path("candidates").size()).isPositive();
    }

    @Test
    void anotherHostProfileCanBeAskedAbout() {
        Http.Answer answer = http.get("/v1/engines/smollm2-instruct/explain?host_profile=macos-arm64");
        assertThat(answer.status()).isEqualTo(200);
        Http.Answer bad = http.get("/v1/engines/smollm2-instruct?host_profile=no-such-host");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.detail()).isNotBlank();
    }

    @Test
    void unknownModelNameIs400WithDetail() {
        Http.Answer engines = http.get("/v1/engines/no-such-model");
        assertThat(engines.status()).isEqualTo(400);
        assertThat(engines.detail()).contains("no-such-model");
        Http.Answer launch = http.post("/v1/models", Map.of("model_name", "no-such-model"));
        assertThat(launch.status()).isEqualTo(400);
        assertThat(launch.detail()).contains("no-such-model");
    }

    @Test
    void registrationsListBuiltinsAndRoundTripACustomFamily() {
        JsonNode list = http.get("/v1/model_registrations/LLM").json();
        assertThat(list.findValuesAsText("model_name")).contains("smollm2-instruct", "qwen3");
        JsonNode builtin = http.get("/v1/model_registrations/LLM/smollm2-instruct").json();
        assertThat(builtin.path("model_specs").isArray()).isTrue();

        Map<String, Object> family = Map.of("version", 2, "model_name", "my-tiny", "context_length", 256,
                "model_lang", List.of("en"), "model_ability", List.of("chat", "generate"),
                "model_family", "smollm2-instruct",
                "model_specs", List.of(Map.of("model_format", "ggufv2", "model_size_in_billions", "0_135",
                        "quantization", "q4_1", "model_uri", "file:///tmp/my-tiny.gguf")));
        Http.Answer registered = http.post("/v1/model_registrations/LLM",
                Map.of("model", Json.write(family), "persist", true));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        assertThat(http.get("/v1/model_registrations/LLM").json().findValuesAsText("model_name")).contains("my-tiny");
        assertThat(http.delete("/v1/model_registrations/LLM/my-tiny").status()).isEqualTo(200);
        assertThat(http.get("/v1/model_registrations/LLM/my-tiny").status()).isEqualTo(400);
    }

    @Test
    void badRegistrationsAreRefusedClearly() {
        Http.Answer notJson = http.post("/v1/model_registrations/LLM", Map.of("model", "{not json"));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.detail()).isNotBlank();
        Http.Answer clash = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(Map.of(
                "model_name", "qwen3", "model_ability", List.of("chat"), "model_specs", List.of(Map.of(
                        "model_format", "ggufv2", "model_size_in_billions", 1, "quantization", "q4_0"))))));
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.detail()).contains("qwen3");
        assertThat(http.get("/v1/model_registrations/embedding").body()).isEqualTo("[]");
        assertThat(http.get("/v1/model_registrations/no-such-type").status()).isEqualTo(400);
    }

    @Test
    void malformedJsonIs400() {
        Http.Answer answer = http.postRaw("/v1/models", "{\"model_name\": ");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.detail()).startsWith("Malformed JSON");
        assertThat(http.postRaw("/v1/chat/completions", "[1, 2]").status()).isEqualTo(400);
        assertThat(http.postRaw("/v1/chat/completions", "").status()).isEqualTo(400);
    }

    @Test
    void oversizeBodyIs413() {
        String huge = "{\"model\": \"" + "x".repeat((int) RestServer.MAX_REQUEST_BYTES + 10) + "\"}";
        Http.Answer answer = http.postRaw("/v1/chat/completions", huge);
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.detail()).isNotBlank();
    }

    @Test
    void unknownModelUidIs404() {
        assertThat(http.get("/v1/models/nobody").status()).isEqualTo(404);
        assertThat(http.delete("/v1/models/nobody").status()).isEqualTo(404);
        Http.Answer chat = http.post("/v1/chat/completions", Map.of("model", "nobody",
                "messages", List.of(Map.of("role", "user", "content", "hi"))));
        assertThat(chat.status()).isEqualTo(404);
        assertThat(chat.detail()).contains("nobody");
    }

    @Test
    void missingModelFileIs400() {
        Http.Answer answer = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "ggufv2", "model_path", home.resolve("missing.gguf").toString()));
        assertThat(answer.status()).isEqualTo(400);
        // the same answer whether or not the path exists, and the path is not echoed (no file oracle)
        assertThat(answer.detail()).contains("model_path names no model").doesNotContain("missing.gguf");
        Http.Answer noFile = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "ggufv2"));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.detail()).contains("model_path");
    }

    @Test
    void impossibleEngineOrFormatIs400WithTheReason() {
        Http.Answer engine = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_engine", "vLLM", "model_format", "ggufv2"));
        assertThat(engine.status()).isEqualTo(400);
        assertThat(engine.detail()).isNotBlank();
        Http.Answer format = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "no-such-format"));
        assertThat(format.status()).isEqualTo(400);
    }

    @Test
    void wrongTypesAndUnknownRoutesAreJsonErrors() {
        Http.Answer wrongType = http.post("/v1/chat/completions", Map.of("model", 5, "messages", List.of()));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.detail()).contains("model");
        Http.Answer route = http.get("/v1/nothing-here");
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.detail()).isNotBlank();
    }

    @Test
    void vllmSupportedListsArchitecturesPerAbility() {
        JsonNode supported = http.get("/v1/models/vllm-supported").json();
        assertThat(supported.path("chat").isArray()).isTrue();
        assertThat(supported.path("generate").isArray()).isTrue();
    }

    @Test
    void enginesCommandDecidesInProcessWhenNoServerAnswers() throws Exception {
        String printed = Cli.run(new EnginesCommand(), "smollm2-instruct", "--format", "ggufv2",
                "--endpoint", "http://127.0.0.1:1", "--home", home.toString());
        assertThat(printed).contains("llama.cpp").contains("Choice: llama.cpp");
        String remote = Cli.run(new EnginesCommand(), "smollm2-instruct", "--format", "ggufv2", "--host-profile",
                "linux-x86_64-cuda", "--json", "--endpoint", "http://127.0.0.1:" + server.port());
        assertThat(Json.MAPPER.readTree(remote).path("choice").path("engine").asText()).isEqualTo("llama.cpp");
    }

    @Test
    void familiesAreGroupedByAbility() {
        JsonNode families = http.get("/v1/models/families").json();
        assertThat(families.path("chat").toString()).contains("smollm2-instruct");
    }
}
