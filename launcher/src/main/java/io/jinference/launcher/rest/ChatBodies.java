package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.OutputOptions;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolChoice;
import io.jinference.api.ToolDefinition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@code POST /v1/chat/completions} body as the engine API's {@link ChatRequest}: messages (tool calls and tool
 * answers included), tools, tool choice, response format, logprobs and the sampling parameters. Every malformed
 * part is a 400 naming the parameter.
 */
final class ChatBodies {
    static final Set<String> CHAT_KEYS = Set.of("messages", "tools", "tool_choice", "parallel_tool_calls",
            "logprobs", "top_logprobs", "request_id");
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer", "tool");

    private ChatBodies() {
    }

    static ChatRequest request(JsonNode body, GenerationOptions options) {
        List<ToolDefinition> tools = tools(body.get("tools"));
        return new ChatRequest(messages(body.get("messages")), options.sampling(), tools,
                toolChoice(body, tools), options.responseFormat(), output(body));
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badParameter("messages",
                    "messages must be a non-empty list of {\"role\", \"content\"} objects");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : node) {
            if (!message.isObject()) {
                throw ApiError.badParameter("messages", "each message must be an object with a role and content");
            }
            String role = message.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw ApiError.badParameter("messages", "Unknown message role '" + role + "'; expected one of "
                        + ROLES);
            }
            List<ToolCall> calls = "assistant".equals(role) ? toolCalls(message.get("tool_calls")) : List.of();
            JsonNode content = message.get("content");
            // Only an assistant turn that calls tools may leave its content out, as OpenAI allows.
            if ((content == null || content.isNull()) && calls.isEmpty()) {
                throw ApiError.badParameter("messages", "a " + role + " message needs content");
            }
            String toolCallId = "tool".equals(role) ? Json.requiredText(message, "tool_call_id") : null;
            messages.add(new ChatMessage(role, content(content), calls, toolCallId));
        }
        return messages;
    }

    /** A string, or OpenAI's list of content parts of which the text parts are joined. */
    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText())) {
                    throw ApiError.badParameter("messages", "Only text content parts are supported, got "
                            + part.path("type"));
                }
                if (!part.path("text").isTextual()) {
                    throw ApiError.badParameter("messages", "A text content part's text must be a string");
                }
                text.append(part.path("text").asText());
            }
            return text.toString();
        }
        throw ApiError.badParameter("messages", "message content must be a string or a list of content parts");
    }

    private static List<ToolCall> toolCalls(JsonNode calls) {
        if (calls == null || calls.isNull()) {
            return List.of();
        }
        if (!calls.isArray()) {
            throw ApiError.badParameter("messages", "tool_calls must be a list");
        }
        List<ToolCall> parsed = new ArrayList<>();
        for (JsonNode call : calls) {
            JsonNode function = call.path("function");
            String name = function.path("name").asText("");
            if (name.isEmpty()) {
                throw ApiError.badParameter("messages", "each tool call needs function.name");
            }
            JsonNode arguments = function.get("arguments");
            String text = arguments == null || arguments.isNull() ? "{}"
                    : arguments.isTextual() ? arguments.asText() : Json.write(arguments);
            parsed.add(new ToolCall(call.path("id").asText("call_" + parsed.size()), name, text));
        }
        return parsed;
    }

    private static List<ToolDefinition> tools(JsonNode tools) {
        if (tools == null || tools.isNull()) {
            return List.of();
        }
        if (!tools.isArray()) {
            throw ApiError.badParameter("tools", "tools must be a list of {\"type\": \"function\", \"function\"}");
        }
        List<ToolDefinition> definitions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode tool : tools) {
            if (!"function".equals(tool.path("type").asText())) {
                throw ApiError.badParameter("tools", "only tools of type function are supported, got "
                        + tool.path("type"));
            }
            JsonNode function = tool.path("function");
            String name = function.path("name").asText("");
            if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw ApiError.badParameter("tools", "a function name must be 1 to 64 letters, digits, _ or -,"
                        + " got '" + name + "'");
            }
            if (!names.add(name)) {
                throw ApiError.badParameter("tools", "the function " + name + " is given twice");
            }
            JsonNode parameters = function.get("parameters");
            if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
                throw ApiError.badParameter("tools", "the parameters of " + name + " must be a JSON Schema object");
            }
            definitions.add(new ToolDefinition(name, Json.text(function, "description"),
                    parameters == null || parameters.isNull() ? Map.of() : Json.plain(parameters),
                    Json.bool(function, "strict", false)));
        }
        return definitions;
    }

    private static ToolChoice toolChoice(JsonNode body, List<ToolDefinition> tools) {
        boolean parallel = Json.bool(body, "parallel_tool_calls", true);
        JsonNode choice = body.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return new ToolChoice(tools.isEmpty() ? ToolChoice.Mode.NONE : ToolChoice.Mode.AUTO, null, parallel);
        }
        ToolChoice parsed;
        if (choice.isTextual()) {
            parsed = switch (choice.asText()) {
                case "auto" -> new ToolChoice(ToolChoice.Mode.AUTO, null, parallel);
                case "none" -> new ToolChoice(ToolChoice.Mode.NONE, null, parallel);
                case "required" -> new ToolChoice(ToolChoice.Mode.REQUIRED, null, parallel);
                default -> throw ApiError.badParameter("tool_choice", "tool_choice must be auto, none, required or"
                        + " {\"type\": \"function\", \"function\": {\"name\"}}, got '" + choice.asText() + "'");
            };
        } else {
            String name = choice.path("function").path("name").asText("");
            if (!"function".equals(choice.path("type").asText()) || name.isEmpty()) {
                throw ApiError.badParameter("tool_choice",
                        "a tool_choice object must be {\"type\": \"function\", \"function\": {\"name\"}}");
            }
            if (tools.stream().noneMatch(tool -> tool.name().equals(name))) {
                throw ApiError.badParameter("tool_choice", "tool_choice names the function " + name
                        + ", which tools does not define");
            }
            parsed = new ToolChoice(ToolChoice.Mode.FUNCTION, name, parallel);
        }
        if (parsed.mode() != ToolChoice.Mode.NONE && tools.isEmpty()) {
            throw ApiError.badParameter("tool_choice", "tool_choice " + parsed.mode().name().toLowerCase()
                    + " needs tools");
        }
        return parsed;
    }

    private static OutputOptions output(JsonNode body) {
        boolean logprobs = Json.bool(body, "logprobs", false);
        Integer top = Json.integer(body, "top_logprobs");
        if (top != null && (top < 0 || top > OutputOptions.MAX_TOP_LOGPROBS)) {
            throw ApiError.badParameter("top_logprobs", "top_logprobs must be between 0 and "
                    + OutputOptions.MAX_TOP_LOGPROBS);
        }
        if (top != null && top > 0 && !logprobs) {
            throw ApiError.badParameter("top_logprobs", "top_logprobs needs logprobs: true");
        }
        return new OutputOptions(logprobs, top == null ? 0 : top, false);
    }
}
