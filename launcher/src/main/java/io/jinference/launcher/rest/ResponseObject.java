package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.UUID;

/**
 * The OpenAI Responses API's {@code response} object for one request: its id and the request's settings, with the
 * output items (an assistant {@code message} with {@code output_text}, {@code function_call}s) and usage made from a
 * chat completion's first choice.
 */
final class ResponseObject {
    private final ResponsesRequest request;
    private final String id = "resp_" + hex();
    private final long createdAt = System.currentTimeMillis() / 1000;

    ResponseObject(ResponsesRequest request) {
        this.request = request;
    }

    /** The whole response from a (non-streamed) chat completion. */
    ObjectNode whole(JsonNode completion) {
        JsonNode choice = completion.path("choices").path(0);
        JsonNode message = choice.path("message");
        ArrayNode output = Json.MAPPER.createArrayNode();
        String text = message.path("content").asText("");
        JsonNode calls = message.path("tool_calls");
        if (!text.isEmpty() || !calls.isArray() || calls.isEmpty()) {
            output.add(message(newMessageId(), text, "completed"));
        }
        for (JsonNode call : calls) {
            output.add(functionCall(newCallItemId(), call.path("id").asText(), call.at("/function/name").asText(),
                    call.at("/function/arguments").asText(), "completed"));
        }
        return envelope(choice.path("finish_reason").asText("stop"), output, usage(completion.path("usage")));
    }

    /** The response as it stands: {@code in_progress} while {@code finishReason} is null. */
    ObjectNode envelope(String finishReason, ArrayNode output, JsonNode usage) {
        ObjectNode response = Json.MAPPER.createObjectNode().put("id", id).put("object", "response")
                .put("created_at", createdAt);
        boolean cut = "length".equals(finishReason);
        response.put("status", finishReason == null ? "in_progress" : cut ? "incomplete" : "completed");
        response.putNull("error");
        if (cut) {
            response.putObject("incomplete_details").put("reason", "max_output_tokens");
        } else {
            response.putNull("incomplete_details");
        }
        ObjectNode body = request.body();
        response.set("instructions", body.path("instructions").isTextual() ? body.get("instructions") : null);
        response.set("max_output_tokens", body.hasNonNull("max_output_tokens") ? body.get("max_output_tokens") : null);
        response.put("model", request.model());
        response.set("output", output);
        response.put("parallel_tool_calls", !body.has("parallel_tool_calls")
                || body.path("parallel_tool_calls").asBoolean(true));
        response.putNull("previous_response_id");
        response.putNull("reasoning");
        response.put("store", false);
        response.set("temperature", body.hasNonNull("temperature") ? body.get("temperature") : null);
        response.set("text", body.path("text").path("format").isObject() ? body.get("text")
                : Json.MAPPER.createObjectNode().set("format", Json.MAPPER.createObjectNode().put("type", "text")));
        response.set("tool_choice", body.hasNonNull("tool_choice") ? body.get("tool_choice")
                : Json.MAPPER.getNodeFactory().textNode("auto"));
        response.set("tools", body.path("tools").isArray() ? body.get("tools") : Json.MAPPER.createArrayNode());
        response.set("top_p", body.hasNonNull("top_p") ? body.get("top_p") : null);
        response.put("truncation", "disabled");
        response.set("usage", usage);
        response.putNull("user");
        response.set("metadata", body.path("metadata").isObject() ? body.get("metadata")
                : Json.MAPPER.createObjectNode());
        return response;
    }

    static ObjectNode message(String itemId, String text, String status) {
        ObjectNode item = Json.MAPPER.createObjectNode().put("type", "message").put("id", itemId)
                .put("status", status).put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    static ObjectNode outputText(String text) {
        ObjectNode part = Json.MAPPER.createObjectNode().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        return part;
    }

    static ObjectNode functionCall(String itemId, String callId, String name, String arguments, String status) {
        return Json.MAPPER.createObjectNode().put("type", "function_call").put("id", itemId).put("call_id", callId)
                .put("name", name).put("arguments", arguments).put("status", status);
    }

    /** Chat's usage in the Responses API's words; null when the completion reported none. */
    static JsonNode usage(JsonNode chatUsage) {
        if (!chatUsage.isObject()) {
            return null;
        }
        int input = chatUsage.path("prompt_tokens").asInt();
        int output = chatUsage.path("completion_tokens").asInt();
        ObjectNode usage = Json.MAPPER.createObjectNode().put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
        usage.put("total_tokens", input + output);
        return usage;
    }

    static String newMessageId() {
        return "msg_" + hex();
    }

    static String newCallItemId() {
        return "fc_" + hex();
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
