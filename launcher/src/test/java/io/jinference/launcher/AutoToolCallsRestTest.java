package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.catalog.ModelCatalog;
import io.jinference.launcher.rest.Json;
import io.jinference.testing.TinyGguf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools the model may call ({@code tool_choice} auto) on the in-JVM llama.cpp backend (a model host), through the
 * REST API of a real server, and on the in-JVM Transformers engine (DJL): the engine renders the tools into the model's
 * chat template, the host tells the format from that template and reads the calls out of the generated text.
 *
 * <p>What it proves, honestly: the models are tiny GGUFs with random weights (the project's GGUF writer), which call
 * no tool by themselves. So the prompt tokens show that the tools were rendered into the prompt, and for the parse
 * path the answer is made deterministic with a JSON Schema (a GBNF grammar in java-llama.cpp) that forces the
 * model to write exactly the call Llama 3.2's template asks for, {@code {"name": ..., "parameters": {...}}}: the grammar
 * stands in for a model that learned the format, and everything after the generated text (format detection from the
 * template, parsing, OpenAI's {@code tool_calls} and {@code finish_reason}, whole and streamed) is the real path.
 * SmolLM2's template shows no tools: the 400 for it is in {@code OpenAiFeaturesTest}.
 */
final class AutoToolCallsRestTest {
    private static final Map<String, Object> WEATHER_TOOL = Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The weather in a city", "parameters", Map.of("type", "object",
                    "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"))));
    /** The call Llama 3's template teaches, with fixed values, so the random model must write it. */
    private static final Map<String, Object> LLAMA3_CALL = Map.of("type", "object", "properties", Map.of(
            "name", Map.of("const", "get_weather"), "parameters", Map.of("type", "object", "properties",
                    Map.of("city", Map.of("const", "Paris")), "required", List.of("city"),
                    "additionalProperties", false)), "required", List.of("name", "parameters"),
            "additionalProperties", false);

    /**
     * Qwen2.5's way of showing tools and asking for {@code <tool_call>}, cut down to a line: the reference checkpoint
     * holds 256 positions, fewer than Qwen2.5's own tool instructions take with its tiny vocabulary.
     */
    private static final String SHORT_HERMES = "{%- if tools %}<|im_start|>system\nTools:{% for tool in tools %} "
            + "{{ tool.function.name }}{% endfor %}. Call: <tool_call>{...}</tool_call><|im_end|>\n{% endif %}"
            + "{% for message in messages %}<|im_start|>{{ message.role }}\n{{ message.content }}<|im_end|>\n"
            + "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";
    private static final Map<String, Object> TINY_TOOL = Map.of("type", "function", "function", Map.of("name", "w",
            "parameters", Map.of("type", "object")));

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start(home);
        http = new Http(server.port());
        launch("llama-3.2-instruct", "llama3-jvm");
        launch("qwen2.5-instruct", "qwen-jvm");
        launchTransformers(TransformersReferences.folder("qwen2"), "hf-chatml");
        launchTransformers(withTemplate(TransformersReferences.folder("qwen2"), SHORT_HERMES), "hf-qwen");
    }

    /** A copy of a checkpoint whose tokenizer_config.json carries {@code template}. */
    private static Path withTemplate(Path checkpoint, String template) {
        try {
            Path copy = Files.createDirectories(home.resolve("checkpoint-hermes"));
            try (Stream<Path> files = Files.list(checkpoint)) {
                for (Path file : files.toList()) {
                    Files.copy(file, copy.resolve(file.getFileName().toString()));
                }
            }
            ObjectNode config = (ObjectNode) Http.MAPPER.readTree(copy.resolve("tokenizer_config.json").toFile());
            config.put("chat_template", template);
            Http.MAPPER.writeValue(copy.resolve("tokenizer_config.json").toFile(), config);
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tiny random Qwen2 checkpoint (made by transformers) on the in-JVM Transformers engine (DJL). */
    private static void launchTransformers(Path checkpoint, String uid) {
        Map<String, Object> family = Map.of("version", 2, "model_name", uid, "context_length", 4096,
                "model_lang", List.of("en"), "model_ability", List.of("chat", "generate"),
                "architectures", List.of("Qwen2ForCausalLM"),
                "model_specs", List.of(Map.of("model_format", "pytorch", "model_size_in_billions", "0_001",
                        "quantization", "none", "model_uri", checkpoint.toUri().toString())));
        Http.Answer registered = http.post("/v1/model_registrations/LLM", Map.of("model", Json.write(family)));
        assertThat(registered.status()).as(registered.body()).isEqualTo(200);
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", uid, "model_uid", uid, "model_engine",
                "Transformers", "model_format", "pytorch"));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A tiny GGUF that embeds the catalog family's chat template, on the in-JVM backend. */
    private static void launch(String family, String uid) {
        String template = ModelCatalog.open(home).find(family).orElseThrow().chatTemplate();
        Path model = TinyGguf.builder().contextLength(4096).chatTemplate(template).write(home.resolve(uid + ".gguf"));
        Map<String, Object> body = new HashMap<>(Map.of("model_name", "smollm2-instruct", "model_format", "ggufv2",
                "model_engine", "llama.cpp", "model_backend", "jvm", "model_path", model.toString(),
                "model_uid", uid, "n_parallel", 1));
        Http.Answer launched = http.post("/v1/models", body);
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    private static Http.Answer chat(String uid, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("model", uid, "messages", List.of(Map.of("role", "user",
                "content", "What is the weather in Paris?")), "temperature", 0, "max_tokens", 8));
        body.putAll(more);
        return http.post("/v1/chat/completions", body);
    }

    private static Map<String, Object> forcedCall(boolean stream) {
        return Map.of("tools", List.of(WEATHER_TOOL), "max_tokens", 400, "stream", stream, "response_format",
                Map.of("type", "json_schema", "json_schema", Map.of("name", "call", "schema", LLAMA3_CALL)));
    }

    @Test
    void theToolsAreRenderedIntoThePromptOfBothFamilies() {
        for (String uid : List.of("llama3-jvm", "qwen-jvm")) {
            Http.Answer plain = chat(uid, Map.of());
            Http.Answer withTools = chat(uid, Map.of("tools", List.of(WEATHER_TOOL)));
            assertThat(withTools.status()).as(withTools.body()).isEqualTo(200);
            // the template's tool section: the function's name, description and schema, byte tokens each
            assertThat(withTools.json().at("/usage/prompt_tokens").asInt())
                    .isGreaterThan(plain.json().at("/usage/prompt_tokens").asInt() + 100);
            JsonNode choice = withTools.json().at("/choices/0");
            assertThat(choice.path("finish_reason").asText()).as(uid).isIn("stop", "length");
            assertThat(choice.at("/message/tool_calls").isMissingNode()).as("random text is no call").isTrue();
            // tool_choice none: the tools are left out of the prompt, as the model may not call them
            assertThat(chat(uid, Map.of("tools", List.of(WEATHER_TOOL), "tool_choice", "none")).json()
                    .at("/usage/prompt_tokens").asInt()).isEqualTo(plain.json().at("/usage/prompt_tokens").asInt());
        }
    }

    @Test
    void theInJvmTransformersEngineRendersToolsWhereItsTemplateDoes() {
        Http.Answer plain = chat("hf-qwen", Map.of());
        Http.Answer withTools = chat("hf-qwen", Map.of("tools", List.of(TINY_TOOL)));
        assertThat(withTools.status()).as(withTools.body()).isEqualTo(200);
        assertThat(withTools.json().at("/usage/prompt_tokens").asInt())
                .isGreaterThan(plain.json().at("/usage/prompt_tokens").asInt() + 10);
        assertThat(withTools.json().at("/choices/0/message/tool_calls").isMissingNode()).isTrue();

        // the reference checkpoint's own template is ChatML without tools: the model never saw how to call one
        Http.Answer refused = chat("hf-chatml", Map.of("tools", List.of(TINY_TOOL)));
        assertThat(refused.status()).as(refused.body()).isEqualTo(400);
        assertThat(refused.json().at("/error/param").asText()).isEqualTo("tools");
        assertThat(refused.json().at("/error/message").asText()).contains("Transformers").contains("chat template")
                .contains("Use a model whose template renders tools");
        assertThat(chat("hf-chatml", Map.of("tools", List.of(TINY_TOOL), "tool_choice", "none")).status())
                .isEqualTo(200);
    }

    @Test
    void aLlama3JsonCallInTheTextBecomesToolCalls() throws Exception {
        Http.Answer answer = chat("llama3-jvm", forcedCall(false));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode choice = answer.json().at("/choices/0");
        assertThat(choice.path("finish_reason").asText()).as(answer.body()).isEqualTo("tool_calls");
        assertThat(choice.at("/message/content").isNull()).isTrue();
        JsonNode call = choice.at("/message/tool_calls/0");
        assertThat(call.path("id").asText()).startsWith("call_");
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Http.MAPPER.readTree(call.at("/function/arguments").asText()))
                .isEqualTo(Http.MAPPER.readTree("{\"city\": \"Paris\"}"));
    }

    @Test
    void streamedTheCallComesAsToolCallDeltas() throws Exception {
        Http.Answer streamed = chat("llama3-jvm", forcedCall(true));
        assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        StringBuilder content = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        String finish = null;
        JsonNode first = null;
        for (JsonNode event : streamed.events()) {
            JsonNode delta = event.at("/choices/0/delta");
            content.append(delta.path("content").asText(""));
            for (JsonNode call : delta.path("tool_calls")) {
                assertThat(call.path("index").asInt()).isZero();
                first = first == null ? call : first;
                arguments.append(call.at("/function/arguments").asText(""));
            }
            if (event.at("/choices/0/finish_reason").isTextual()) {
                finish = event.at("/choices/0/finish_reason").asText();
            }
        }
        assertThat(content.toString()).as("no piece of the call leaks as text").isBlank();
        assertThat(first).as(streamed.body()).isNotNull();
        assertThat(first.path("id").asText()).startsWith("call_");
        assertThat(first.path("type").asText()).isEqualTo("function");
        assertThat(first.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(Http.MAPPER.readTree(arguments.toString())).isEqualTo(Http.MAPPER.readTree("{\"city\": \"Paris\"}"));
        assertThat(finish).isEqualTo("tool_calls");
    }

    /** Ollama's {@code /api/chat} over the same route: the streamed pieces of a call arrive as one whole call. */
    @Test
    void ollamaStreamsTheCallWhole() throws Exception {
        Http.Answer streamed = http.post("/api/chat", Map.of("model", "llama3-jvm", "messages", List.of(Map.of("role",
                "user", "content", "What is the weather in Paris?")), "tools", List.of(WEATHER_TOOL), "format",
                LLAMA3_CALL, "options", Map.of("temperature", 0, "num_predict", 400)));
        assertThat(streamed.status()).as(streamed.body()).isEqualTo(200);
        List<JsonNode> calls = new java.util.ArrayList<>();
        for (String line : streamed.body().split("\n")) {
            Http.MAPPER.readTree(line).at("/message/tool_calls").forEach(calls::add);
        }
        assertThat(calls).as(streamed.body()).hasSize(1);
        assertThat(calls.get(0).at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).at("/function/arguments")).isEqualTo(Http.MAPPER.readTree("{\"city\": \"Paris\"}"));
    }
}
