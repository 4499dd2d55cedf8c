package io.jinference.launcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.ResponseFormat;
import io.jinference.api.ToolChoice;
import io.jinference.api.ToolDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A forced {@code tool_choice} ({@code required}, or a named function) served the way vLLM serves it: the answer is
 * constrained by structured output to the JSON of the call(s), {@code {"name", "arguments"}} with each function's
 * parameter schema, and that JSON is turned into OpenAI's {@code tool_calls}. So it works on every engine with
 * structured output, whether or not the model's chat template knows tools (llama-server silently ignores tools for
 * a template without them), and the arguments always validate against the function's schema. The functions are
 * described to the model in a system message.
 */
final class ForcedToolCalls {
    private ForcedToolCalls() {
    }

    /**
     * The JSON Schema of the answer: one call, or with parallel calls allowed and several functions, a list of one
     * to as many calls as there are functions. The bound keeps a small model from repeating one call until
     * {@code max_tokens} cuts it off, which an unbounded list lets it do.
     */
    static Map<String, Object> schema(ChatRequest request) {
        ToolChoice choice = request.toolChoice();
        List<Map<String, Object>> calls = new ArrayList<>();
        for (ToolDefinition tool : request.tools()) {
            if (choice.mode() != ToolChoice.Mode.FUNCTION || tool.name().equals(choice.function())) {
                calls.add(callSchema(tool));
            }
        }
        Map<String, Object> call = calls.size() == 1 ? calls.get(0) : Map.of("anyOf", calls);
        if (choice.mode() == ToolChoice.Mode.FUNCTION || !choice.parallel() || calls.size() == 1) {
            return call;
        }
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("type", "array");
        list.put("items", call);
        list.put("minItems", 1);
        list.put("maxItems", calls.size());
        return list;
    }

    private static Map<String, Object> callSchema(ToolDefinition tool) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("name", Map.of("const", tool.name()));
        properties.put("arguments", tool.parameters().isEmpty() ? Map.of("type", "object") : tool.parameters());
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("type", "object");
        call.put("properties", properties);
        call.put("required", List.of("name", "arguments"));
        call.put("additionalProperties", false);
        return call;
    }

    /** What the model is told: the functions, and that it answers with the call's JSON only. */
    static String instructions(ChatRequest request) {
        StringBuilder text = new StringBuilder("You answer by calling ");
        text.append(request.toolChoice().mode() == ToolChoice.Mode.FUNCTION
                ? "the function " + request.toolChoice().function() : "one or more of these functions")
                .append(". Reply with JSON only: {\"name\": <function name>, \"arguments\": <arguments>}.\n");
        for (ToolDefinition tool : request.tools()) {
            text.append("- ").append(tool.name());
            if (tool.description() != null) {
                text.append(": ").append(tool.description());
            }
            text.append(" Arguments (JSON Schema): ").append(Json.write(tool.parameters())).append('\n');
        }
        return text.toString();
    }

    /** The request an engine serves instead: no tools, the instructions as system prompt, the calls' schema. */
    static ChatRequest constrained(ChatRequest request) {
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        String instructions = instructions(request);
        if (!messages.isEmpty() && "system".equals(messages.get(0).role())) {
            ChatMessage system = messages.get(0);
            messages.set(0, new ChatMessage("system", system.content() + "\n\n" + instructions));
        } else {
            messages.add(0, new ChatMessage("system", instructions));
        }
        return new ChatRequest(messages, request.sampling(), List.of(), new ToolChoice(ToolChoice.Mode.NONE, null,
                false), new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, "tool_calls", schema(request), true),
                request.output());
    }

    /** The same rewrite on an OpenAI body, for a model served by an OpenAI-compatible server; never streaming. */
    static ObjectNode constrainedBody(ObjectNode body, ChatRequest request) {
        ObjectNode rewritten = body.deepCopy();
        rewritten.remove(List.of("tools", "tool_choice", "parallel_tool_calls", "stream", "stream_options"));
        ArrayNode messages = rewritten.withArray("messages");
        String instructions = instructions(request);
        JsonNode first = messages.path(0);
        if ("system".equals(first.path("role").asText()) && first.path("content").isTextual()) {
            ((ObjectNode) first).put("content", first.path("content").asText() + "\n\n" + instructions);
        } else {
            messages.insertObject(0).put("role", "system").put("content", instructions);
        }
        ObjectNode format = rewritten.putObject("response_format").put("type", "json_schema");
        format.putObject("json_schema").put("name", "tool_calls").put("strict", true)
                .set("schema", Json.MAPPER.valueToTree(schema(request)));
        return rewritten;
    }

    /**
     * Turns each choice whose content is the calls' JSON into an assistant message with {@code tool_calls} and
     * finish reason {@code tool_calls}. A choice cut short (by {@code max_tokens}) keeps its partial text and its
     * finish reason {@code length}: its call is incomplete.
     */
    static ObjectNode toToolCalls(JsonNode answer) {
        ObjectNode converted = answer.deepCopy();
        for (JsonNode choice : converted.withArray("choices")) {
            ObjectNode message = (ObjectNode) choice.path("message");
            JsonNode calls = parse(message.path("content").asText(""));
            if (calls == null) {
                continue;
            }
            ArrayNode toolCalls = Json.MAPPER.createArrayNode();
            for (JsonNode call : calls.isArray() ? calls : Json.MAPPER.createArrayNode().add(calls)) {
                ObjectNode toolCall = toolCalls.addObject();
                toolCall.put("id", "call_" + UUID.randomUUID().toString().replace("-", "").substring(0, 24));
                toolCall.put("type", "function");
                toolCall.putObject("function").put("name", call.path("name").asText())
                        .put("arguments", Json.write(call.path("arguments")));
            }
            message.putNull("content");
            message.set("tool_calls", toolCalls);
            ((ObjectNode) choice).put("finish_reason", "tool_calls");
        }
        return converted;
    }

    private static JsonNode parse(String content) {
        try {
            JsonNode calls = Json.MAPPER.readTree(content);
            return calls != null && (calls.isObject() || calls.isArray()) ? calls : null;
        } catch (JsonProcessingException incomplete) {
            return null;
        }
    }
}
