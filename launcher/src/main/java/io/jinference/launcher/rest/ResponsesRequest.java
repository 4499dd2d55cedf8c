package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * An OpenAI Responses API request ({@code POST /v1/responses}) turned into the chat completion request that serves
 * it: {@code instructions} become the system message, {@code input} (a string, or message, {@code function_call} and
 * {@code function_call_output} items) the messages, function {@code tools} and {@code tool_choice} chat's, {@code
 * text.format} the response format, {@code max_output_tokens} {@code max_tokens}. What has no counterpart here is a
 * 400 naming it: stored responses ({@code store: true}, {@code previous_response_id}), built-in tools, images and
 * files, reasoning, automatic truncation.
 *
 * @param body the request as the client sent it, for the fields the response repeats
 * @param chat the chat completion request
 */
record ResponsesRequest(ObjectNode body, ObjectNode chat) {
    /** Keys the Responses API defines that are served here; each is checked below. */
    private static final Set<String> KEYS = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "parallel_tool_calls", "temperature", "top_p", "max_output_tokens", "stream", "store", "metadata", "text",
            "truncation", "reasoning", "include", "previous_response_id");
    private static final Set<String> ROLES = Set.of("user", "system", "developer", "assistant");

    static ResponsesRequest parse(ObjectNode body) {
        Set<String> unknown = Json.rest(body, KEYS).keySet();
        if (!unknown.isEmpty()) {
            throw ApiError.badParameter(unknown.iterator().next(), "Unsupported Responses API parameters: "
                    + String.join(", ", unknown));
        }
        refuseUnserved(body);
        ObjectNode chat = Json.MAPPER.createObjectNode().put("model", Json.requiredText(body, "model"));
        ArrayNode messages = chat.putArray("messages");
        String instructions = Json.text(body, "instructions");
        if (instructions != null) {
            messages.addObject().put("role", "system").put("content", instructions);
        }
        input(body.get("input"), messages);
        copy(body, "temperature", chat, "temperature");
        copy(body, "top_p", chat, "top_p");
        copy(body, "max_output_tokens", chat, "max_tokens");
        copy(body, "parallel_tool_calls", chat, "parallel_tool_calls");
        tools(body.get("tools"), chat);
        toolChoice(body.get("tool_choice"), chat);
        format(body.path("text").path("format"), chat);
        boolean stream = Json.bool(body, "stream", false);
        chat.put("stream", stream);
        if (stream) {
            chat.putObject("stream_options").put("include_usage", true);
        }
        return new ResponsesRequest(body, chat);
    }

    boolean stream() {
        return chat.path("stream").asBoolean();
    }

    String model() {
        return chat.path("model").asText();
    }

    private static void refuseUnserved(ObjectNode body) {
        if (Json.bool(body, "store", false)) {
            throw ApiError.badParameter("store", "store: true is not supported: responses are not stored here, so"
                    + " send the whole conversation as input");
        }
        if (Json.text(body, "previous_response_id") != null) {
            throw ApiError.badParameter("previous_response_id", "previous_response_id is not supported: responses"
                    + " are not stored here, so send the whole conversation as input");
        }
        String truncation = Json.text(body, "truncation");
        if (truncation != null && !truncation.equals("disabled")) {
            throw ApiError.badParameter("truncation", "truncation must be disabled: an input longer than the"
                    + " model's context is refused, never cut");
        }
        if (body.hasNonNull("reasoning")) {
            throw ApiError.badParameter("reasoning", "reasoning options are not supported");
        }
        JsonNode include = body.get("include");
        if (include != null && !include.isNull() && !(include.isArray() && include.isEmpty())) {
            throw ApiError.badParameter("include", "include is not supported: there is no extra output to add");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw ApiError.badParameter("metadata", "metadata must be an object");
        }
        JsonNode text = body.get("text");
        if (text != null && !text.isNull() && !text.isObject()) {
            throw ApiError.badParameter("text", "text must be an object");
        }
    }

    private static void input(JsonNode input, ArrayNode messages) {
        if (input == null || input.isNull()) {
            throw ApiError.badParameter("input", "input is required: a string or a list of input items");
        }
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
            return;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw ApiError.badParameter("input", "input must be a string or a non-empty list of input items");
        }
        for (JsonNode item : input) {
            if (!item.isObject()) {
                throw ApiError.badParameter("input", "each input item must be an object");
            }
            String type = item.path("type").asText("message");
            switch (type) {
                case "message" -> message(item, messages);
                case "function_call" -> functionCall(item, messages);
                case "function_call_output" -> messages.addObject().put("role", "tool")
                        .put("tool_call_id", required(item, "call_id", "input")).put("content", output(item));
                default -> throw ApiError.badParameter("input", "Input items of type " + type + " are not"
                        + " supported (message, function_call and function_call_output are)");
            }
        }
    }

    private static void message(JsonNode item, ArrayNode messages) {
        String role = required(item, "role", "input");
        if (!ROLES.contains(role)) {
            throw ApiError.badParameter("input", "An input message's role must be one of user, system, developer,"
                    + " assistant; got " + role);
        }
        JsonNode content = item.get("content");
        String text;
        if (content != null && content.isTextual()) {
            text = content.asText();
        } else if (content != null && content.isArray()) {
            StringBuilder joined = new StringBuilder();
            for (JsonNode part : content) {
                String type = part.path("type").asText();
                if (!type.equals("input_text") && !type.equals("output_text")) {
                    throw ApiError.badParameter("input", "Content parts of type " + (type.isEmpty() ? "(none)" : type)
                            + " are not supported (input_text and output_text are)");
                }
                joined.append(required(part, "text", "input"));
            }
            text = joined.toString();
        } else {
            throw ApiError.badParameter("input", "An input message's content must be a string or a list of text"
                    + " parts");
        }
        messages.addObject().put("role", role).put("content", text);
    }

    /** A call the model made earlier: an assistant message with that tool call (consecutive calls share one). */
    private static void functionCall(JsonNode item, ArrayNode messages) {
        JsonNode last = messages.isEmpty() ? null : messages.get(messages.size() - 1);
        ObjectNode assistant;
        if (last != null && "assistant".equals(last.path("role").asText()) && last.has("tool_calls")) {
            assistant = (ObjectNode) last;
        } else {
            assistant = messages.addObject().put("role", "assistant");
            assistant.putNull("content");
            assistant.putArray("tool_calls");
        }
        ObjectNode call = assistant.withArray("tool_calls").addObject()
                .put("id", required(item, "call_id", "input")).put("type", "function");
        call.putObject("function").put("name", required(item, "name", "input"))
                .put("arguments", required(item, "arguments", "input"));
    }

    private static String output(JsonNode item) {
        JsonNode output = item.get("output");
        if (output == null || !output.isTextual()) {
            throw ApiError.badParameter("input", "A function_call_output item's output must be a string");
        }
        return output.asText();
    }

    private static void tools(JsonNode tools, ObjectNode chat) {
        if (tools == null || tools.isNull()) {
            return;
        }
        if (!tools.isArray()) {
            throw ApiError.badParameter("tools", "tools must be a list");
        }
        ArrayNode chatTools = chat.putArray("tools");
        for (JsonNode tool : tools) {
            if (!"function".equals(tool.path("type").asText())) {
                throw ApiError.badParameter("tools", "Only function tools are supported, got "
                        + (tool.path("type").isMissingNode() ? "a tool without a type" : tool.path("type").asText()));
            }
            ObjectNode function = chatTools.addObject().put("type", "function").putObject("function")
                    .put("name", required(tool, "name", "tools"));
            for (String key : new String[] {"description", "parameters", "strict"}) {
                if (tool.hasNonNull(key)) {
                    function.set(key, tool.get(key));
                }
            }
        }
    }

    private static void toolChoice(JsonNode choice, ObjectNode chat) {
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual()) {
            chat.set("tool_choice", choice);
        } else if (choice.isObject() && "function".equals(choice.path("type").asText())) {
            chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", required(choice, "name", "tool_choice"));
        } else {
            throw ApiError.badParameter("tool_choice", "tool_choice must be auto, none, required or"
                    + " {\"type\": \"function\", \"name\": …}");
        }
    }

    /** {@code text.format}: text (the default), json_object, or json_schema with its name, schema and strictness. */
    private static void format(JsonNode format, ObjectNode chat) {
        if (format.isMissingNode() || format.isNull()) {
            return;
        }
        String type = format.path("type").asText();
        switch (type) {
            case "text" -> {
            }
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema");
                schema.put("name", required(format, "name", "text"));
                if (!format.path("schema").isObject()) {
                    throw ApiError.badParameter("text", "text.format.schema must be a JSON Schema object");
                }
                schema.set("schema", format.get("schema"));
                if (format.has("strict")) {
                    schema.set("strict", format.get("strict"));
                }
            }
            default -> throw ApiError.badParameter("text", "text.format.type must be text, json_object or"
                    + " json_schema");
        }
    }

    private static void copy(JsonNode from, String key, ObjectNode to, String as) {
        if (from.hasNonNull(key)) {
            to.set(as, from.get(key));
        }
    }

    /** A string field of a part of the request; {@code param} names that part in the 400. */
    private static String required(JsonNode node, String field, String param) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw ApiError.badParameter(param, param + ": " + field + " is required and must be a string");
        }
        return value.asText();
    }
}
