package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both llama.cpp backends as the distribution ships them, on a machine without llama-server (the configured path
 * does not exist): the explanation lists both with their reasons, the in-JVM one serves and the choice says why,
 * and pinning the server backend answers why it cannot.
 */
final class LlamaCppBackendsExplainTest {
    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.llamacpp.server", home.resolve("no-llama-server").toString());
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        System.clearProperty("jinference.llamacpp.server");
    }

    private static List<JsonNode> candidates(JsonNode explain) {
        List<JsonNode> llamaCpp = new ArrayList<>();
        explain.path("candidates").forEach(candidate -> {
            if (candidate.path("engine").asText().equals("llama.cpp")) {
                llamaCpp.add(candidate);
            }
        });
        return llamaCpp;
    }

    @Test
    void bothBackendsAreExplainedAndTheInJvmOneServesWithoutLlamaServer() {
        JsonNode explain = http.get("/v1/engines/smollm2-instruct/explain?model_format=ggufv2").json();

        assertThat(explain.path("choice").path("backend").asText()).isEqualTo("jvm");
        assertThat(explain.path("choice").path("why").asText()).contains("(jvm)")
                .contains("the server backend cannot: RUNTIME_MISSING")
                .contains("no-llama-server (configured by -Djinference.llamacpp.server) is not an executable file");
        List<JsonNode> backends = candidates(explain);
        assertThat(backends).extracting(candidate -> candidate.path("backend").asText())
                .containsExactly("jvm", "server");
        assertThat(backends.get(1).path("reasons").get(0).path("code").asText()).isEqualTo("RUNTIME_MISSING");
        assertThat(explain.path("explanation").asText()).contains("llama.cpp 0.1.0 (server): cannot: RUNTIME_MISSING")
                .contains("llama.cpp 0.1.0 (jvm): can run ggufv2");
    }

    @Test
    void aBackendCanBePinnedOnTheEnginesRoutes() {
        JsonNode jvm = http.get("/v1/engines/smollm2-instruct/explain?backend=jvm").json();
        assertThat(candidates(jvm)).extracting(candidate -> candidate.path("backend").asText()).containsExactly("jvm");
        assertThat(jvm.path("choice").path("why").asText()).contains("pinned by the request");

        JsonNode server = http.get("/v1/engines/smollm2-instruct/explain?model_backend=server").json();
        assertThat(server.path("choice").isNull()).isTrue();
        assertThat(server.path("explanation").asText()).contains("No installed engine can run smollm2-instruct")
                .contains("RUNTIME_MISSING");
        assertThat(http.get("/v1/engines/smollm2-instruct?backend=server").json().path("llama.cpp").asText())
                .contains("is not an executable file");

        Http.Answer unknown = http.get("/v1/engines/smollm2-instruct/explain?backend=cuda");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.detail()).isEqualTo("Backend 'cuda' is not offered by any installed engine; installed"
                + " backends: [jvm, python, server]");
    }
}
