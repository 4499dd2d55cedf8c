package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;

/**
 * Ollama's request bodies ({@code /api/chat}, {@code /api/generate}, {@code /api/embed}) as the OpenAI bodies this
 * server answers. A key or option without an OpenAI counterpart is a 400 naming it, never dropped.
 */
final class OllamaRequests {
    /** Ollama's {@code options} and the OpenAI parameter each one is. */
    private static final Map<String, String> OPTIONS = Map.of("temperature", "temperature", "top_p", "top_p",
            "top_k", "top_k", "seed", "seed", "num_predict", "max_tokens", "stop", "stop", "repeat_penalty",
            "repetition_penalty", "presence_penalty", "presence_penalty", "frequency_penalty", "frequency_penalty");
    private static final Set<String> CHAT_KEYS = Set.of("model", "messages", "stream", "format", "options", "tools");
    private static final Set<String> GENERATE_KEYS = Set.of("model", "prompt", "system", "stream", "format",
            "options", "raw");
    private static final Set<String> EMBED_KEYS = Set.of("model", "input", "truncate");

    private OllamaRequests() {
    }

    static boolean stream(JsonNode body) {
        return Json.bool(body, "stream", true);
    }

    static ObjectNode chat(ObjectNode body) {
        allowOnly(body, CHAT_KEYS);
        ObjectNode openAi = common(body);
        ArrayNode messages = openAi.putArray("messages");
        JsonNode given = body.get("messages");
        if (given == null || !given.isArray()) {
            throw ApiError.badParameter("messages", "messages must be a list of {\"role\", \"content\"}");
        }
        for (JsonNode message : given) {
            if (message.has("images")) {
                throw ApiError.badParameter("messages", "images are not supported");
            }
            ObjectNode turn = messages.addObject();
            turn.set("role", message.path("role"));
            turn.set("content", message.path("content"));
            if (message.has("tool_calls")) {
                ArrayNode calls = turn.putArray("tool_calls");
                int index = 0;
                for (JsonNode call : message.path("tool_calls")) {
                    JsonNode function = call.path("function");
                    calls.addObject().put("id", "call_" + index++).put("type", "function").putObject("function")
                            .put("name", function.path("name").asText())
                            .put("arguments", Json.write(function.path("arguments")));
                }
            }
        }
        if (body.has("tools")) {
            openAi.set("tools", body.get("tools"));
        }
        return openAi;
    }

    /** With {@code raw} the prompt is the model's input as it is; else it is a user turn (after the system one). */
    static ObjectNode generate(ObjectNode body) {
        allowOnly(body, GENERATE_KEYS);
        ObjectNode openAi = common(body);
        String prompt = Json.requiredText(body, "prompt");
        if (Json.bool(body, "raw", false)) {
            if (body.has("system")) {
                throw ApiError.badParameter("system", "system cannot be combined with raw");
            }
            openAi.put("prompt", prompt);
        } else {
            ArrayNode messages = openAi.putArray("messages");
            String system = Json.text(body, "system");
            if (system != null) {
                messages.addObject().put("role", "system").put("content", system);
            }
            messages.addObject().put("role", "user").put("content", prompt);
        }
        return openAi;
    }

    static ObjectNode embed(ObjectNode body) {
        allowOnly(body, EMBED_KEYS);
        if (!Json.bool(body, "truncate", true)) {
            throw ApiError.badParameter("truncate", "truncate false is not supported: an input longer than the"
                    + " context is refused anyway");
        }
        ObjectNode openAi = Json.MAPPER.createObjectNode().put("model", Json.requiredText(body, "model"));
        openAi.set("input", body.path("input"));
        return openAi;
    }

    private static ObjectNode common(ObjectNode body) {
        ObjectNode openAi = Json.MAPPER.createObjectNode().put("model", Json.requiredText(body, "model"));
        JsonNode options = body.get("options");
        if (options != null && !options.isNull()) {
            if (!options.isObject()) {
                throw ApiError.badParameter("options", "options must be an object");
            }
            for (Map.Entry<String, JsonNode> option : options.properties()) {
                String openAiName = OPTIONS.get(option.getKey());
                if (openAiName == null) {
                    throw ApiError.badParameter("options", "The option " + option.getKey() + " is not supported;"
                            + " supported: " + String.join(", ", new java.util.TreeSet<>(OPTIONS.keySet())));
                }
                openAi.set(openAiName, option.getValue());
            }
        }
        JsonNode format = body.get("format");
        if (format != null && !format.isNull()) {
            if (format.isTextual() && format.asText().equals("json")) {
                openAi.putObject("response_format").put("type", "json_object");
            } else if (format.isObject()) {
                ObjectNode schema = openAi.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("name", "format");
                schema.set("schema", format);
            } else {
                throw ApiError.badParameter("format", "format must be \"json\" or a JSON Schema object");
            }
        }
        return openAi;
    }

    private static void allowOnly(JsonNode body, Set<String> keys) {
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!keys.contains(field.getKey()) && !field.getValue().isNull()) {
                throw ApiError.badParameter(field.getKey(), "The parameter " + field.getKey()
                        + " is not supported by Jinference's Ollama API; supported: " + String.join(", ",
                        new java.util.TreeSet<>(keys)));
            }
        }
    }
}
