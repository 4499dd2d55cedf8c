package io.jinference.hotplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.hotplug.FixtureBundles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An engine whose probe throws is explained as unavailable with the probe's message, and never hurts the server. */
class ThrowingProbeTest {

    @TempDir
    Path home;

    @Test
    void engineWhoseProbeThrowsIsExplainedAndRefusedWhileTheServerServes() throws Exception {
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            Path jar = new FixtureBundles(Files.createDirectories(home.resolve("fixtures"))).throwingProbe();
            Rest.Answer installed = rest.post("/v1/engine-bundles", Map.of("path", jar.toString()));
            assertThat(installed.status()).as(installed.json().toString()).isEqualTo(201);

            JsonNode explained = rest.get("/v1/engines/smollm2-instruct/explain").json();
            assertThat(explained.path("candidates").toString()).contains("the engine's probe exploded");
            assertThat(rest.get("/v1/engines/smollm2-instruct").json().path("fixture").toString())
                    .contains("the engine's probe exploded");

            // a file with GGUF's magic passes the model_path check, so the launch reaches the engine's refusal
            Path gguf = Files.write(home.resolve("fixture.gguf"), "GGUF".getBytes(StandardCharsets.US_ASCII));
            Rest.Answer launch = rest.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                    "model_engine", "fixture", "model_format", "ggufv2", "model_path", gguf.toString()));
            assertThat(launch.status()).as(launch.json().toString()).isEqualTo(400);
            assertThat(launch.detail()).contains("the engine's probe exploded");
            assertThat(rest.get("/status").status()).isEqualTo(200);
        }
    }
}
