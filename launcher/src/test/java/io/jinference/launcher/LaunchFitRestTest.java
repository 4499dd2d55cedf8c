package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single server refuses a GGUF launch whose memory estimate exceeds its free memory, up front, with the estimate
 * and the free memory; {@code /v1/cluster/status} shows it as a cluster of one.
 */
final class LaunchFitRestTest {
    @TempDir
    Path home;

    @Test
    void aLaunchThatFitsNowhereIsRefusedWithTheEstimateAndTheFreeMemory() {
        Path tiny = TinyGguf.builder().write(home.resolve("tiny.gguf"));
        try (JinferenceServer server = TestServers.start(home)) {
            Http http = new Http(server.port());
            // a KV cache of 10^8 cells x 4 slots: hundreds of GiB, more than any test machine has
            Http.Answer refused = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                    "model_format", "ggufv2", "model_path", tiny.toString(), "model_uid", "too-big",
                    "n_ctx", 100_000_000, "n_parallel", 4));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.detail()).contains("needs an estimated").contains("free")
                    .contains("n_ctx 100000000 x n_parallel 4");
            JsonNode estimate = refused.json().path("estimate");
            assertThat(estimate.path("kv_cache_bytes").asLong()).isGreaterThan(100L * 1024 * 1024 * 1024);
            assertThat(refused.json().path("workers").get(0).path("memory_free_bytes").asLong()).isPositive();
            assertThat(refused.json().path("error").path("message").asText()).isEqualTo(refused.detail());
            assertThat(http.get("/v1/models/too-big").status()).isEqualTo(404);

            JsonNode status = http.get("/v1/cluster/status").json();
            assertThat(status.path("joined").asBoolean()).isFalse();
            assertThat(status.path("members").get(0).path("roles").toString()).contains("supervisor", "worker");
            assertThat(status.path("workers").path("this server").path("memory_free_bytes").asLong()).isPositive();
        }
    }

    @Test
    void placementKeysAreCheckedOnASingleServerToo() {
        Path tiny = TinyGguf.builder().write(home.resolve("tiny.gguf"));
        try (JinferenceServer server = TestServers.start(home)) {
            Http http = new Http(server.port());
            Map<String, Object> launch = Map.of("model_name", "smollm2-instruct", "model_format", "ggufv2",
                    "model_path", tiny.toString(), "model_uid", "placed");
            Http.Answer twoWorkers = http.post("/v1/models", with(launch, "n_worker", 2));
            assertThat(twoWorkers.status()).as(twoWorkers.body()).isEqualTo(400);
            assertThat(twoWorkers.detail()).contains("n_worker must be 1").contains("replica");
            assertThat(twoWorkers.json().path("error").path("param").asText()).isEqualTo("n_worker");
            Http.Answer strategy = http.post("/v1/models", with(launch, "placement_strategy", "random"));
            assertThat(strategy.status()).as(strategy.body()).isEqualTo(400);
            assertThat(strategy.detail()).isEqualTo("placement_strategy must be spread or binpack, got 'random'");
            assertThat(http.get("/v1/models/placed").status()).isEqualTo(404);
        }
    }

    private static Map<String, Object> with(Map<String, Object> launch, String key, Object value) {
        Map<String, Object> more = new java.util.LinkedHashMap<>(launch);
        more.put(key, value);
        return more;
    }
}
