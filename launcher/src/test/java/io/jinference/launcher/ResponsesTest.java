package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/responses} on a real server with SmolLM2 on the in-JVM llama.cpp backend (a model host): a response
 * with instructions, its stream of events, a forced function call (plain and streamed) whose arguments validate, a
 * tool result sent back as input items, and the 400s for what is not served. openai-python's
 * {@code responses.create} is run against the llama-server backend by {@code clients/test_responses_and_rerank.py}.
 */
final class ResponsesTest {
    private static final Map<String, Object> WEATHER_TOOL = Map.of("type", "function", "name", "get_weather",
            "description", "The weather in a city", "parameters", Map.of("type", "object",
                    "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"),
                    "additionalProperties", false));

    @TempDir
    static Path home;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() {
        server = TestServers.start(home);
        http = new Http(server.port());
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct", "model_format",
                "ggufv2", "model_path", SmolLm2ChatTest.smolLm2().toString(), "model_engine", "llama.cpp",
                "model_uid", "m"));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Http.Answer respond(Map<String, Object> more) {
        Map<String, Object> body = new HashMap<>(Map.of("model", "m", "temperature", 0, "max_output_tokens", 48,
                "input", "What is the capital of France? Answer in one word."));
        body.putAll(more);
        return http.post("/v1/responses", body);
    }

    @Test
    void aResponseWithInstructions() {
        Http.Answer answer = respond(Map.of("instructions", "You are a helpful assistant.", "metadata",
                Map.of("case", "1")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode response = answer.json();
        assertThat(response.path("id").asText()).startsWith("resp_");
        assertThat(response.path("object").asText()).isEqualTo("response");
        assertThat(response.path("status").asText()).isEqualTo("completed");
        assertThat(response.path("instructions").asText()).isEqualTo("You are a helpful assistant.");
        assertThat(response.at("/metadata/case").asText()).isEqualTo("1");
        JsonNode message = response.at("/output/0");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.at("/content/0/type").asText()).isEqualTo("output_text");
        assertThat(message.at("/content/0/text").asText()).contains("Paris");
        JsonNode usage = response.path("usage");
        assertThat(usage.path("output_tokens").asInt()).isPositive();
        assertThat(usage.path("total_tokens").asInt())
                .isEqualTo(usage.path("input_tokens").asInt() + usage.path("output_tokens").asInt());
    }

    @Test
    void aStreamedResponseSendsTheResponsesEvents() {
        Http.Answer answer = respond(Map.of("stream", true));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/event-stream");
        List<JsonNode> events = answer.events();
        List<String> types = events.stream().map(event -> event.path("type").asText()).toList();
        assertThat(types.subList(0, 4)).containsExactly("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added");
        assertThat(types.subList(types.size() - 4, types.size())).containsExactly("response.output_text.done",
                "response.content_part.done", "response.output_item.done", "response.completed");
        assertThat(events.stream().map(event -> event.path("sequence_number").asInt()).toList())
                .isEqualTo(IntStream.range(0, events.size()).boxed().toList());
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(event -> event.path("type").asText().equals("response.output_text.delta"))
                .forEach(event -> deltas.append(event.path("delta").asText()));
        JsonNode completed = events.get(events.size() - 1).path("response");
        assertThat(deltas.toString()).contains("Paris");
        assertThat(completed.at("/output/0/content/0/text").asText()).isEqualTo(deltas.toString());
        assertThat(completed.at("/usage/output_tokens").asInt()).isPositive();
        assertThat(answer.body()).contains("event: response.completed\n");
    }

    @Test
    void aRequiredToolCallIsAFunctionCallItem() throws Exception {
        Http.Answer answer = respond(Map.of("input", "What is the weather in Paris?", "tools", List.of(WEATHER_TOOL),
                "tool_choice", "required"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode call = answer.json().at("/output/0");
        assertThat(call.path("type").asText()).isEqualTo("function_call");
        assertThat(call.path("name").asText()).isEqualTo("get_weather");
        assertThat(call.path("call_id").asText()).isNotBlank();
        assertThat(Http.MAPPER.readTree(call.path("arguments").asText()).path("city").isTextual()).isTrue();
    }

    @Test
    void aStreamedToolCall() throws Exception {
        Http.Answer answer = respond(Map.of("input", "What is the weather in Paris?", "tools", List.of(WEATHER_TOOL),
                "tool_choice", Map.of("type", "function", "name", "get_weather"), "stream", true));

        List<JsonNode> events = answer.events();
        JsonNode done = events.stream().filter(event -> event.path("type").asText()
                .equals("response.function_call_arguments.done")).findFirst().orElseThrow();
        assertThat(done.path("name").asText()).isEqualTo("get_weather");
        assertThat(Http.MAPPER.readTree(done.path("arguments").asText()).path("city").isTextual()).isTrue();
        JsonNode completed = events.get(events.size() - 1);
        assertThat(completed.path("type").asText()).isEqualTo("response.completed");
        assertThat(completed.at("/response/output/0/arguments").asText()).isEqualTo(done.path("arguments").asText());
    }

    @Test
    void aToolResultGoesBackAsInputItems() {
        Http.Answer answer = respond(Map.of("input", List.of(
                Map.of("role", "user", "content", List.of(Map.of("type", "input_text", "text",
                        "What is the weather in Paris?"))),
                Map.of("type", "function_call", "call_id", "call_1", "name", "get_weather", "arguments",
                        "{\"city\": \"Paris\"}"),
                Map.of("type", "function_call_output", "call_id", "call_1", "output", "sunny"))));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().at("/output/0/content/0/text").asText()).isNotBlank();
    }

    @Test
    void aResponseCutByTheBudgetIsIncomplete() {
        Http.Answer answer = respond(Map.of("input", "Tell me a long story about a dragon.", "max_output_tokens", 2));

        assertThat(answer.json().path("status").asText()).isEqualTo("incomplete");
        assertThat(answer.json().at("/incomplete_details/reason").asText()).isEqualTo("max_output_tokens");
    }

    @Test
    void whatIsNotServedIsA400NamingIt() {
        assertRefused(respond(Map.of("store", true)), "store", "not stored");
        assertRefused(respond(Map.of("previous_response_id", "resp_1")), "previous_response_id", "not stored");
        assertRefused(respond(Map.of("tools", List.of(Map.of("type", "web_search")))), "tools", "web_search");
        assertRefused(respond(Map.of("input", List.of(Map.of("role", "user", "content", List.of(Map.of("type",
                "input_image", "image_url", "http://x/y.png")))))), "input", "input_image");
        assertRefused(respond(Map.of("reasoning", Map.of("effort", "low"))), "reasoning", "reasoning");
        assertRefused(respond(Map.of("truncation", "auto")), "truncation", "disabled");
        assertRefused(respond(Map.of("messages", List.of())), "messages", "Unsupported");
        assertRefused(respond(Map.of("text", Map.of("format", Map.of("type", "yaml")))), "text", "json_schema");
    }

    private static void assertRefused(Http.Answer answer, String param, String says) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.json().at("/error/param").asText()).as(answer.body()).isEqualTo(param);
        assertThat(answer.detail()).contains(says);
    }
}
