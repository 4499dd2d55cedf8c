package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A single server refuses a GGUF or safetensors launch whose memory estimate exceeds its free memory, up front, with the estimate
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
    void aSafetensorsCheckpointThatFitsNowhereIsRefusedWithItsEstimate() throws Exception {
        Path checkpoint = java.nio.file.Files.createDirectories(home.resolve("checkpoint"));
        java.nio.file.Files.writeString(checkpoint.resolve("config.json"), "{\"model_type\": \"llama\", "
                + "\"hidden_size\": 4096, \"num_hidden_layers\": 32, \"num_attention_heads\": 32, "
                + "\"num_key_value_heads\": 8, \"max_position_embeddings\": 131072, \"vocab_size\": 128256}");
        // one F32 tensor of 2 x 2: the header says so, the data follows
        String header = "{\"w\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]}}";
        java.nio.ByteBuffer file = java.nio.ByteBuffer.allocate(8 + header.length() + 16)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(header.length())
                .put(header.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.nio.file.Files.write(checkpoint.resolve("model.safetensors"), file.array());
        try (JinferenceServer server = TestServers.start(home)) {
            Http http = new Http(server.port());
            // 131072 tokens x 4096 sequences x 128 KiB per token: 64 TiB of KV cache
            Http.Answer refused = http.post("/v1/models", Map.of("model_name", "qwen2.5-instruct",
                    "model_format", "pytorch", "model_engine", "vLLM", "model_path", checkpoint.toString(),
                    "model_uid", "too-big-hf", "max_num_seqs", 4096));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.detail()).contains("needs an estimated")
                    .contains("max_model_len 131072 x max_num_seqs 4096");
            assertThat(refused.json().path("estimate").path("weights_bytes").asLong()).isPositive();
            assertThat(http.get("/v1/models/too-big-hf").status()).isEqualTo(404);
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
