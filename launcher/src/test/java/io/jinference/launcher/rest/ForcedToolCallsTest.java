package io.jinference.launcher.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.ResponseFormat;
import io.jinference.api.ToolChoice;
import io.jinference.api.ToolDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The schema a forced tool choice constrains the answer to, and how the answer becomes tool calls. */
final class ForcedToolCallsTest {
    private static final ToolDefinition WEATHER = new ToolDefinition("get_weather", "Weather", Map.of("type",
            "object", "properties", Map.of("city", Map.of("type", "string"))), false);
    private static final ToolDefinition TIME = new ToolDefinition("get_time", null, Map.of(), false);

    private static ChatRequest request(ToolChoice choice, ToolDefinition... tools) {
        return new ChatRequest(List.of(new ChatMessage("user", "Weather in Paris?")), null, List.of(tools), choice,
                null, null);
    }

    @Test
    void aNamedFunctionIsOneCallWithItsParameters() {
        Map<String, Object> schema = ForcedToolCalls.schema(request(new ToolChoice(ToolChoice.Mode.FUNCTION,
                "get_weather", true), WEATHER, TIME));
        assertThat(schema).containsEntry("type", "object");
        assertThat(Json.write(schema)).contains("{\"const\":\"get_weather\"}").doesNotContain("get_time")
                .contains("\"city\"");
    }

    @Test
    void requiredWithParallelCallsIsABoundedListOfAnyFunction() {
        Map<String, Object> schema = ForcedToolCalls.schema(request(new ToolChoice(ToolChoice.Mode.REQUIRED, null,
                true), WEATHER, TIME));
        assertThat(schema).containsEntry("type", "array").containsEntry("minItems", 1).containsEntry("maxItems", 2);
        assertThat(Json.write(schema)).contains("anyOf").contains("get_time").contains("get_weather");
        Map<String, Object> single = ForcedToolCalls.schema(request(new ToolChoice(ToolChoice.Mode.REQUIRED, null,
                false), WEATHER, TIME));
        assertThat(single).containsKey("anyOf").doesNotContainKey("type");
    }

    @Test
    void theConstrainedRequestCarriesTheSchemaAndDescribesTheTools() {
        ChatRequest constrained = ForcedToolCalls.constrained(request(new ToolChoice(ToolChoice.Mode.REQUIRED, null,
                false), WEATHER));
        assertThat(constrained.tools()).isEmpty();
        assertThat(constrained.responseFormat().type()).isEqualTo(ResponseFormat.Type.JSON_SCHEMA);
        assertThat(constrained.messages().get(0).role()).isEqualTo("system");
        assertThat(constrained.messages().get(0).content()).contains("get_weather: Weather");
    }

    @Test
    void answersBecomeToolCallsAndACutAnswerStaysText() throws Exception {
        JsonNode answer = Json.MAPPER.readTree("""
                {"choices": [
                  {"index": 0, "message": {"role": "assistant",
                    "content": "[{\\"name\\": \\"get_weather\\", \\"arguments\\": {\\"city\\": \\"Paris\\"}}]"},
                   "finish_reason": "stop"},
                  {"index": 1, "message": {"role": "assistant", "content": "{\\"name\\": \\"get_wea"},
                   "finish_reason": "length"}]}""");
        JsonNode converted = ForcedToolCalls.toToolCalls(answer);
        JsonNode first = converted.at("/choices/0");
        assertThat(first.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(first.at("/message/content").isNull()).isTrue();
        assertThat(first.at("/message/tool_calls/0/id").asText()).startsWith("call_");
        assertThat(first.at("/message/tool_calls/0/function/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(converted.at("/choices/1/finish_reason").asText()).isEqualTo("length");
        assertThat(converted.at("/choices/1/message/content").asText()).isEqualTo("{\"name\": \"get_wea");
    }
}
