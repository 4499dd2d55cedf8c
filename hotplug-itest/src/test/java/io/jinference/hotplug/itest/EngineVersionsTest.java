package io.jinference.hotplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.hotplug.FixtureBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two versions of one engine installed over REST are both explained, the highest is chosen, and an engine whose load
 * throws answers the launch with a clear 4xx while the server serves on.
 */
class EngineVersionsTest {

    private static final String FAMILY = "fixture-embedder";

    @TempDir
    Path home;

    @Test
    void explainsBothVersionsChoosesTheHighestAndReportsItsLoadFailure() throws Exception {
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            FixtureBundles jars = new FixtureBundles(Files.createDirectories(home.resolve("fixtures")));
            Path weights = Files.writeString(home.resolve("model.onnx"), "not really weights");
            assertThat(rest.post("/v1/model_registrations/LLM", Map.of("model", Map.of("version", 2,
                    "context_length", 128, "model_name", FAMILY, "model_lang", List.of("en"),
                    "model_ability", List.of("embed"), "model_specs", List.of(Map.of("model_format", "onnx",
                            "model_size_in_billions", "0_01", "quantization", "none",
                            "model_uri", weights.toUri().toString()))))).status()).isEqualTo(200);
            for (String version : List.of("1.0.0", "2.0.0")) {
                var installed = rest.post("/v1/engine-bundles", Map.of("path", jars.engine(version).toString()));
                assertThat(installed.status()).as(installed.json().toString()).isEqualTo(201);
            }

            JsonNode explained = rest.get("/v1/engines/" + FAMILY + "/explain").json();
            List<String> versions = new ArrayList<>();
            explained.path("candidates").forEach(candidate -> versions.add(candidate.path("engine").asText() + " "
                    + candidate.path("engine_version").asText()));
            assertThat(versions).contains("fixture 1.0.0", "fixture 2.0.0");
            assertThat(explained.path("choice").path("engine_version").asText()).isEqualTo("2.0.0");

            var launch = rest.post("/v1/models", Map.of("model_name", FAMILY, "model_format", "onnx",
                    "model_path", weights.toString()));
            assertThat(launch.status()).as(launch.json().toString()).isBetween(400, 499);
            assertThat(launch.detail()).contains("The fixture engine loads no models");
            assertThat(rest.get("/status").status()).isEqualTo(200);
        }
    }
}
