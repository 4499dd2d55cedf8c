package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The llama-server backend behind the REST API, on the real binary CI builds ({@code $JINFERENCE_LLAMA_SERVER},
 * handed to this test as {@code jinference.test.llamaServer}): chosen over the in-JVM backend, plain and streamed
 * chat, a Qwen3 GGUF the in-JVM build cannot load, and kill -9 of llama-server → failed and 503 → relaunched.
 */
final class LlamaServerBackendRestTest {
    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.llamacpp.server", LlamaServerBinary.require().toString());
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.llamacpp.server");
    }

    @Test
    void theServerBackendIsChosenServesAndSurvivesAKill() throws Exception {
        JsonNode explain = http.get("/v1/engines/smollm2-instruct/explain?model_format=ggufv2").json();
        assertThat(explain.path("choice").path("backend").asText()).isEqualTo("server");
        assertThat(explain.path("choice").path("why").asText())
                .contains("preferred over the jvm backend, which could run it too");
        assertThat(explain.path("explanation").asText()).contains("llama.cpp 0.1.0 (server): can run")
                .contains("[runtime: llama-server b").contains("llama.cpp 0.1.0 (jvm): can run");

        Path tiny = TinyGguf.builder().write(home.resolve("tiny.gguf"));
        String uid = launch(tiny, "tiny-server");
        JsonNode description = http.get("/v1/models/" + uid).json();
        assertThat(description.path("model_engine").asText()).isEqualTo("llama.cpp");
        assertThat(description.toString()).contains("\"backend\":\"server\"");

        Http.Answer plain = http.post("/v1/chat/completions", chat(uid, false));
        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().path("model").asText()).isEqualTo(uid);
        assertThat(plain.json().path("usage").path("completion_tokens").asInt()).isEqualTo(8);
        Http.Answer streamed = http.post("/v1/chat/completions", chat(uid, true));
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        assertThat(streamed.events()).hasSizeGreaterThan(2)
                .allSatisfy(event -> assertThat(event.path("model").asText()).isEqualTo(uid));

        long pid = http.get("/v1/models/" + uid).json().path("engine_details").path("process_pid").asLong();
        assertThat(pid).isPositive();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThat(eventually(Duration.ofMillis(1500), () -> status(uid).equals("failed"))).isTrue();
        Http.Answer refused = http.post("/v1/chat/completions", chat(uid, false));
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.detail()).contains("exited with code 137");
        assertThat(eventually(Duration.ofMinutes(2), () -> status(uid).equals("ready"))).as("relaunched").isTrue();
        assertThat(http.post("/v1/chat/completions", chat(uid, false)).status()).isEqualTo(200);

        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
    }

    @Test
    void aQwen3GgufChatsThroughTheServerBackend() {
        Path qwen3 = TinyGguf.builder().architecture("qwen3").name("tiny-qwen3").write(home.resolve("qwen3.gguf"));
        String uid = launch(qwen3, "tiny-qwen3");

        Http.Answer plain = http.post("/v1/chat/completions", chat(uid, false));

        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(plain.json().path("usage").path("completion_tokens").asInt()).isEqualTo(8);
        assertThat(http.get("/v1/models/" + uid).json().toString()).contains("\"gguf_architecture\":\"qwen3\"");
        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
    }

    @Test
    void aPinnedBackendIsTheOneThatLoadsAndTheJvmBackendRefusesQwen3() {
        Path tiny = TinyGguf.builder().write(home.resolve("tiny-pinned.gguf"));
        Map<String, Object> pinned = launchBody(tiny, "tiny-jvm");
        pinned.put("model_backend", "jvm");
        Http.Answer launched = http.post("/v1/models", pinned);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        assertThat(http.get("/v1/models/tiny-jvm").json().toString()).contains("\"backend\":\"jvm\"")
                .doesNotContain("\"backend\":\"server\"");
        assertThat(http.post("/v1/chat/completions", chat("tiny-jvm", false)).status()).isEqualTo(200);
        assertThat(http.delete("/v1/models/tiny-jvm").status()).isEqualTo(200);

        Path qwen3 = TinyGguf.builder().architecture("qwen3").name("tiny-qwen3").write(home.resolve("qwen3-jvm.gguf"));
        Map<String, Object> qwen3OnJvm = launchBody(qwen3, "qwen3-jvm");
        qwen3OnJvm.put("model_backend", "jvm");
        Http.Answer refused = http.post("/v1/models", qwen3OnJvm);
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.detail()).contains("MODEL_UNSUPPORTED").contains("qwen3");

        Map<String, Object> flagOnJvm = launchBody(tiny, "flag-jvm");
        flagOnJvm.put("model_backend", "jvm");
        flagOnJvm.put("flash_attn", "on");
        Http.Answer notUnderstood = http.post("/v1/models", flagOnJvm);
        assertThat(notUnderstood.status()).as(notUnderstood.body()).isEqualTo(400);
        assertThat(notUnderstood.detail()).contains("does not understand the launch option [flash_attn]");
        assertThat(http.get("/status").status()).isEqualTo(200);
    }

    /**
     * llama-server renders the GGUF's chat template itself at start-up, with no limit: a template of three nested
     * {@code range()} loops is refused by the host's bounded renderer first, with a 400 naming the template, and no
     * llama-server process is left (none was started).
     */
    @Test
    void aLoopingChatTemplateIsRefusedBeforeLlamaServerStarts() {
        String loop = "{% for a in range(100000) %}{% for b in range(100000) %}{% for c in range(100000) %}{{ c }}"
                + "{% endfor %}{% endfor %}{% endfor %}";
        Path looping = TinyGguf.builder().chatTemplate(loop).write(home.resolve("looping-server.gguf"));
        java.util.Set<Long> before = descendants();

        Http.Answer refused = http.post("/v1/models", launchBody(looping, "looping-server"));

        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.detail()).contains("chat template (tokenizer.chat_template) does not finish")
                .contains("llama-server would render it at load without a time limit");
        java.util.Set<Long> started = descendants();
        started.removeAll(before);
        assertThat(started).as("processes started for the refused model").isEmpty();
        assertThat(http.get("/v1/models/looping-server").status()).isEqualTo(404);
    }

    private static java.util.Set<Long> descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(java.util.stream.Collectors.toCollection(java.util.HashSet::new));
    }

    private static String launch(Path model, String uid) {
        Http.Answer answer = http.post("/v1/models", launchBody(model, uid));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("model_uid").asText();
    }

    private static Map<String, Object> launchBody(Path model, String uid) {
        Map<String, Object> body = new HashMap<>();
        body.put("model_name", "smollm2-instruct");
        body.put("model_format", "ggufv2");
        body.put("model_engine", "llama.cpp");
        body.put("model_path", model.toString());
        body.put("model_uid", uid);
        body.put("n_parallel", 2);
        return body;
    }

    private static String status(String uid) {
        return http.get("/v1/models/" + uid).json().path("status").asText();
    }

    private static Map<String, Object> chat(String uid, boolean stream) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", uid);
        body.put("messages", List.of(Map.of("role", "user", "content", "Hello, who are you?")));
        body.put("max_tokens", 8);
        body.put("temperature", 0);
        body.put("ignore_eos", true);
        body.put("stream", stream);
        return body;
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
