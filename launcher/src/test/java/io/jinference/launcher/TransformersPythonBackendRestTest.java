package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.launcher.rest.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Transformers engine's two backends in a real server (the distribution's bundles in Felix, Javalin on loopback)
 * with a real Python runtime (transformers 4.57.1, torch 2.7.1 CPU: the transformers-ref venv that
 * {@code scripts/prepare-test-models.sh} makes): tiny random checkpoints of six architectures the in-JVM backend does
 * not implement are chosen for the Python backend, with the in-JVM one's reason, and served by a real child Python
 * whose greedy answers equal transformers' own generate() token for token; a Llama, which both backends run, goes to
 * the in-JVM backend for the measured reason and either backend can be pinned; and every pytorch model of the
 * catalog resolves to an engine on this CPU host, or to a reason.
 */
final class TransformersPythonBackendRestTest {
    /** Architectures whose catalog families need trust_remote_code (or, Mllama, a vision class): not in the mapping. */
    private static final Set<String> NOT_IN_AUTO_MODEL_FOR_CAUSAL_LM = Set.of("ChatGLMModel", "InternLM2ForCausalLM",
            "InternLM3ForCausalLM", "BaichuanForCausalLM", "QWenLMHeadModel", "OrionForCausalLM",
            "MiniCPM3ForCausalLM", "MllamaForConditionalGeneration");

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.python.transformers", referencePython().toString());
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.python.transformers");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemma2", "gemma3", "phi3", "qwen2-moe", "gpt-neox", "olmo"})
    void anArchitectureTheInJvmBackendLacksIsServedByPythonAsTransformersGenerates(String name) throws IOException {
        Path checkpoint = pythonReference(name);
        JsonNode reference = Http.MAPPER.readTree(checkpoint.resolve("reference.json").toFile());
        String family = register("tiny-py-" + name, reference.path("architecture").asText(), checkpoint);

        JsonNode explain = http.get("/v1/engines/" + family + "/explain").json();
        assertThat(explain.path("choice").path("backend").asText()).as(explain.toString()).isEqualTo("python");
        assertThat(explain.path("choice").path("why").asText()).startsWith("Transformers 0.1.0 (python)")
                .contains("; backend python (the jvm backend cannot: MODEL_UNSUPPORTED")
                .contains(reference.path("architecture").asText());

        String uid = "py-" + name;
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", family, "model_uid", uid));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        JsonNode description = http.get("/v1/models/" + uid).json();
        assertThat(description.path("model_engine").asText()).isEqualTo("Transformers");
        assertThat(description.toString()).contains("\"backend\":\"python\"");

        JsonNode chat = http.post("/v1/chat/completions", greedy(uid, "messages", reference.path("messages"))).json();
        assertThat(ids(chat.path("choices").get(0).path("token_ids"))).as("chat token ids")
                .isEqualTo(ids(reference.path("chat_greedy")));
        assertThat(chat.path("choices").get(0).path("message").path("content").asText())
                .isEqualTo(reference.path("chat_text").asText());
        assertThat(chat.path("usage").path("prompt_tokens").asInt()).isEqualTo(reference.path("chat_prompt_ids").size());
        assertThat(chat.path("model").asText()).isEqualTo(uid);

        JsonNode completion = http.post("/v1/completions", greedy(uid, "prompt", reference.path("prompt"))).json();
        assertThat(ids(completion.path("choices").get(0).path("token_ids"))).as("completion token ids")
                .isEqualTo(ids(reference.path("prompt_greedy")));

        Map<String, Object> streaming = greedy(uid, "messages", reference.path("messages"));
        streaming.put("stream", true);
        Http.Answer streamed = http.post("/v1/chat/completions", streaming);
        assertThat(streamed.contentType()).startsWith("text/event-stream");
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        StringBuilder text = new StringBuilder();
        streamed.events().forEach(event -> event.path("choices").forEach(choice ->
                text.append(choice.path("delta").path("content").asText(""))));
        assertThat(text.toString()).isEqualTo(reference.path("chat_text").asText());

        assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
    }

    @Test
    void aLlamaGoesToTheInJvmBackendForTheMeasuredReasonAndEitherBackendCanBePinned() {
        String family = register("tiny-both-llama", "LlamaForCausalLM", TransformersReferences.folder("llama"));

        JsonNode explain = http.get("/v1/engines/" + family + "/explain").json();
        assertThat(explain.path("choice").path("backend").asText()).isEqualTo("jvm");
        assertThat(explain.path("choice").path("why").asText()).contains("; backend jvm (preferred over the python"
                + " backend, which could run it too, by capability priority: it is faster as measured: it prefills at"
                + " 1.2-1.3x and decodes at 1.0-1.07x Hugging Face transformers' eager speed");
        assertThat(explain.path("explanation").asText()).contains("Transformers 0.1.0 (python): can run pytorch")
                .contains("Transformers 0.1.0 (jvm): can run pytorch");
        JsonNode python = http.get("/v1/engines/" + family + "/explain?backend=python").json();
        assertThat(python.path("choice").path("backend").asText()).isEqualTo("python");
        assertThat(python.path("choice").path("why").asText()).contains("pinned by the request");

        for (String backend : List.of("python", "jvm")) {
            String uid = "llama-" + backend;
            Http.Answer launched = http.post("/v1/models", Map.of("model_name", family, "model_uid", uid,
                    "model_backend", backend));
            assertThat(launched.status()).as(launched.body()).isEqualTo(200);
            assertThat(http.get("/v1/models/" + uid).json().toString()).contains("\"backend\":\"" + backend + "\"");
            Map<String, Object> chat = Map.of("model", uid, "messages", List.of(Map.of("role", "user", "content",
                    "Hello!")), "max_tokens", 8, "temperature", 0);
            Http.Answer answer = http.post("/v1/chat/completions", chat);
            assertThat(answer.status()).as(backend + ": " + answer.body()).isEqualTo(200);
            assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);
        }
    }

    @Test
    void everyPytorchModelOfTheCatalogResolvesToAnEngineOrToAReason() throws IOException {
        List<String> chosen = new ArrayList<>();
        for (JsonNode family : catalogFamilies()) {
            boolean pytorch = false;
            for (JsonNode spec : family.path("specs")) {
                pytorch |= spec.path("format").asText().equals("pytorch");
            }
            if (!pytorch) {
                continue;
            }
            String name = family.path("name").asText();
            Http.Answer answer = http.get("/v1/engines/" + name + "/explain?model_format=pytorch");
            assertThat(answer.status()).as(name + ": " + answer.body()).isEqualTo(200);
            JsonNode explain = answer.json();
            boolean remoteCode = false;
            for (JsonNode architecture : family.path("architectures")) {
                remoteCode |= NOT_IN_AUTO_MODEL_FOR_CAUSAL_LM.contains(architecture.asText());
            }
            if (remoteCode) {
                assertThat(explain.path("choice").isNull()).as(name).isTrue();
                assertThat(explain.path("explanation").asText()).as(name).contains("No installed engine can run")
                        .contains("Transformers 0.1.0 (python): cannot: MODEL_UNSUPPORTED");
                explain.path("candidates").forEach(candidate -> assertThat(candidate.path("reasons")).as(name + " "
                        + candidate.path("engine").asText()).isNotEmpty());
            } else {
                assertThat(explain.path("choice").path("engine").asText()).as(name + ": " + explain.path("explanation")
                        .asText()).isEqualTo("Transformers");
                chosen.add(name);
            }
        }
        assertThat(chosen).as("families with a pytorch spec served here").hasSizeGreaterThan(50)
                .contains("gemma-2-it", "qwen2-moe-instruct", "mixtral-instruct-v0.1", "llama-3.1-instruct");
    }

    private static String register(String name, String architecture, Path checkpoint) {
        Map<String, Object> family = Map.of("version", 2, "model_name", name, "context_length", 256,
                "model_lang", List.of("en"), "model_ability", List.of("chat", "generate"),
                "architectures", List.of(architecture),
                "model_specs", List.of(Map.of("model_format", "pytorch", "model_size_in_billions", "0_001",
                        "quantization", "none", "model_uri", checkpoint.toUri().toString())));
        Http.Answer registered = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(family)));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        return name;
    }

    private static Map<String, Object> greedy(String uid, String key, JsonNode value) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", uid);
        body.put(key, value);
        body.put("max_tokens", 32);
        body.put("temperature", 0);
        body.put("return_token_ids", true);
        return body;
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asInt()));
        return ids;
    }

    private static List<JsonNode> catalogFamilies() throws IOException {
        try (InputStream in = TransformersPythonBackendRestTest.class.getClassLoader()
                .getResourceAsStream("io/jinference/catalog/llm-families.json")) {
            List<JsonNode> families = new ArrayList<>();
            Http.MAPPER.readTree(in).path("families").forEach(families::add);
            return families;
        }
    }

    private static Path cache() {
        return Path.of(System.getenv().getOrDefault("JINFERENCE_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "jinference").toString()));
    }

    /** The transformers-ref venv, made with the reference checkpoints: the Python backend's runtime here. */
    private static Path referencePython() {
        Path python = cache().resolve("venvs/transformers-ref/bin/python");
        if (!Files.isExecutable(python)) {
            fail("No transformers Python at " + python + ": run scripts/prepare-test-models.sh");
        }
        return python;
    }

    private static Path pythonReference(String name) {
        Path folder = cache().resolve("transformers-python-reference").resolve(name);
        if (!Files.isRegularFile(folder.resolve("reference.json"))) {
            throw new UncheckedIOException(new IOException("No reference checkpoint at " + folder
                    + ": run scripts/prepare-test-models.sh (it makes them with Hugging Face transformers)"));
        }
        return folder;
    }
}
