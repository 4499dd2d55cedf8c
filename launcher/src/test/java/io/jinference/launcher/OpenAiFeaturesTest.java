package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tools, structured output, logprobs, n and echo on SmolLM2 through both llama.cpp backends of a real server: the
 * llama-server backend ({@code $JINFERENCE_LLAMA_SERVER}) serves them natively through the pass-through proxy; the
 * in-JVM backend (a model host) turns a JSON Schema into a grammar and is refused, with a 400 naming the parameter
 * and the engine, what it does not claim, and automatic tools for SmolLM2, whose chat template shows no tools. A forced
 * tool choice is answered with tool calls on both. Also OpenAI's error object and model object.
 */
final class OpenAiFeaturesTest {
    private static final Map<String, Object> PERSON_SCHEMA = Map.of("type", "object", "properties",
            Map.of("name", Map.of("type", "string"), "age", Map.of("type", "integer")),
            "required", List.of("name", "age"), "additionalProperties", false);
    private static final Map<String, Object> WEATHER_TOOL = Map.of("type", "function", "function", Map.of(
            "name", "get_weather", "description", "The weather in a city", "parameters", Map.of("type", "object",
                    "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"),
                    "additionalProperties", false)));
    private static final List<Map<String, Object>> QUESTION = List.of(Map.of("role", "user", "content",
            "What is the weather in Paris?"));

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        System.setProperty("jinference.llamacpp.server", LlamaServerBinary.require().toString());
        server = TestServers.start(home);
        http = new Http(server.port());
        launch("server");
        launch("jvm");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.llamacpp.server");
    }

    private static void launch(String backend) {
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct", "model_format",
                "ggufv2", "model_path", SmolLm2ChatTest.smolLm2().toString(), "model_engine", "llama.cpp",
                "model_backend", backend, "model_uid", backend, "n_parallel", 1));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    private static Http.Answer chat(String uid, Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("model", uid, "messages", QUESTION, "temperature", 0,
                "max_tokens", 60));
        body.putAll(more);
        return http.post("/v1/chat/completions", body);
    }

    @Test
    void aJsonSchemaConstrainsTheAnswerOnBothBackends() throws Exception {
        for (String uid : List.of("server", "jvm")) {
            Http.Answer answer = chat(uid, Map.of("response_format", Map.of("type", "json_schema", "json_schema",
                    Map.of("name", "person", "schema", PERSON_SCHEMA))));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode person = Http.MAPPER.readTree(answer.json().at("/choices/0/message/content").asText());
            assertThat(person.path("name").isTextual()).as(uid + ": " + person).isTrue();
            assertThat(person.path("age").isIntegralNumber()).as(uid + ": " + person).isTrue();
        }
    }

    @Test
    void aForcedToolChoiceAnswersToolCallsOnBothBackends() throws Exception {
        for (String uid : List.of("server", "jvm")) {
            Http.Answer answer = chat(uid, Map.of("tools", List.of(WEATHER_TOOL), "tool_choice", Map.of("type",
                    "function", "function", Map.of("name", "get_weather"))));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode choice = answer.json().at("/choices/0");
            assertThat(choice.path("finish_reason").asText()).as(uid).isEqualTo("tool_calls");
            JsonNode call = choice.at("/message/tool_calls/0");
            assertThat(call.at("/function/name").asText()).isEqualTo("get_weather");
            assertThat(Http.MAPPER.readTree(call.at("/function/arguments").asText()).path("city").isTextual())
                    .as(uid + ": " + call).isTrue();

            Http.Answer streamed = chat(uid, Map.of("tools", List.of(WEATHER_TOOL), "tool_choice", "required",
                    "stream", true));
            List<JsonNode> events = streamed.events();
            assertThat(events.get(0).at("/choices/0/delta/tool_calls/0/function/name").asText())
                    .isEqualTo("get_weather");
            assertThat(events.get(events.size() - 1).at("/choices/0/finish_reason").asText()).isEqualTo("tool_calls");
        }
    }

    /** The models run with one slot: llama-server refuses n = 2, so the host fans the choices out and merges them. */
    @Test
    void nChoicesOnBothBackends() {
        for (String uid : List.of("server", "jvm")) {
            Http.Answer answer = chat(uid, Map.of("n", 2, "max_tokens", 4));
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            assertThat(answer.json().path("choices").findValuesAsText("index")).containsExactly("0", "1");
        }
    }

    @Test
    void whatAnEngineDoesNotClaimIsA400NamingParameterAndEngine() {
        Http.Answer logprobs = chat("jvm", Map.of("logprobs", true));
        assertThat(logprobs.status()).isEqualTo(400);
        JsonNode error = logprobs.json().path("error");
        assertThat(error.path("param").asText()).isEqualTo("logprobs");
        assertThat(error.path("message").asText()).contains("llama.cpp").contains("(jvm)").contains("logprobs");
        assertThat(logprobs.detail()).isEqualTo(error.path("message").asText());
        // SmolLM2's chat template shows the model no tools, so the in-JVM backend (which reads calls out of the
        // text in the format the template teaches) cannot serve automatic tools for it
        JsonNode tools = chat("jvm", Map.of("tools", List.of(WEATHER_TOOL))).json().path("error");
        assertThat(tools.path("param").asText()).isEqualTo("tools");
        assertThat(tools.path("message").asText()).contains("chat template").contains("(jvm)")
                .contains("tool_choice \"required\"");

        Http.Answer echo = http.post("/v1/completions", Map.of("model", "server", "prompt", "Paris is",
                "max_tokens", 2, "echo", true));
        assertThat(echo.status()).isEqualTo(400);
        assertThat(echo.json().at("/error/message").asText()).contains("echo").contains("(server)");
    }

    /**
     * llama-server reads its own keys (cache_prompt, ignore_eos) from the body it is given; the in-JVM backend reads
     * only ignore_eos, which it declares, so any other key it would drop is a 400 naming key and engine.
     */
    @Test
    void keysTheInJvmBackendWouldNotReadAreA400AndThoseItReadsWork() {
        Http.Answer unread = chat("jvm", Map.of("cache_prompt", false, "foo_bar", 1));
        assertThat(unread.status()).as(unread.body()).isEqualTo(400);
        JsonNode error = unread.json().path("error");
        assertThat(error.path("param").asText()).isEqualTo("cache_prompt");
        assertThat(error.path("message").asText()).contains("cache_prompt, foo_bar").contains("(jvm)");
        Http.Answer completion = http.post("/v1/completions", Map.of("model", "jvm", "prompt", "Paris is",
                "max_tokens", 2, "suffix", "."));
        assertThat(completion.status()).as(completion.body()).isEqualTo(400);
        assertThat(completion.json().at("/error/param").asText()).isEqualTo("suffix");

        for (String uid : List.of("server", "jvm")) {
            // "Hi" with greedy decoding ends long before 40 tokens unless the end-of-sequence token is ignored
            Map<String, Object> keys = new HashMap<>(Map.of("messages", List.of(Map.of("role", "user", "content",
                    "Hi")), "max_tokens", 40, "ignore_eos", true, "user", "someone@example.com"));
            if (uid.equals("server")) {
                keys.put("cache_prompt", false);
            }
            Http.Answer long40 = chat(uid, keys);
            assertThat(long40.status()).as(uid + ": " + long40.body()).isEqualTo(200);
            assertThat(long40.json().at("/usage/completion_tokens").asInt()).as(uid).isEqualTo(40);
            assertThat(long40.json().at("/choices/0/finish_reason").asText()).as(uid).isEqualTo("length");
        }
        Http.Answer notBoolean = chat("jvm", Map.of("ignore_eos", "yes"));
        assertThat(notBoolean.status()).as(notBoolean.body()).isEqualTo(400);
        assertThat(notBoolean.json().at("/error/message").asText()).contains("ignore_eos");
    }

    @Test
    void logprobsFromTheServerBackendAndEchoFromTheHost() {
        Http.Answer answer = chat("server", Map.of("logprobs", true, "top_logprobs", 2, "max_tokens", 4));
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode tokens = answer.json().at("/choices/0/logprobs/content");
        assertThat(tokens.size()).isEqualTo(answer.json().at("/usage/completion_tokens").asInt());
        tokens.forEach(token -> assertThat(token.path("logprob").asDouble()).isLessThanOrEqualTo(0));

        Http.Answer echoed = http.post("/v1/completions", Map.of("model", "jvm", "prompt", List.of("Paris is",
                "Rome is"), "max_tokens", 3, "temperature", 0, "echo", true));
        assertThat(echoed.status()).as(echoed.body()).isEqualTo(200);
        assertThat(echoed.json().at("/choices/0/text").asText()).startsWith("Paris is");
        assertThat(echoed.json().at("/choices/1/text").asText()).startsWith("Rome is");
    }

    @Test
    void errorsAndModelsInOpenAisShape() {
        Http.Answer bad = chat("server", Map.of("top_p", 3));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(bad.json().path("error").path("param").asText()).isEqualTo("top_p");
        assertThat(bad.json().path("error").path("code").asInt()).isEqualTo(400);
        assertThat(bad.detail()).isEqualTo("top_p must be in (0, 1]");
        assertThat(chat("server", Map.of("messages", List.of(Map.of("role", "user")))).status()).isEqualTo(400);
        assertThat(chat("server", Map.of("seed", 99_999_999_999L, "max_tokens", 1)).status()).isEqualTo(200);

        JsonNode model = http.get("/v1/models/server").json();
        assertThat(model.path("id").asText()).isEqualTo("server");
        assertThat(model.path("object").asText()).isEqualTo("model");
        assertThat(model.path("created").asLong()).isPositive();
        assertThat(model.path("owned_by").asText()).isEqualTo("jinference");
        assertThat(model.has("model_hub")).isTrue();
        assertThat(model.has("revision")).isTrue();
        assertThat(model.path("model_name").asText()).isEqualTo("smollm2-instruct");
    }
}
