package io.jinference.engine.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.SamplingParams;
import io.jinference.api.Usage;
import java.util.List;
import java.util.Map;

/** Request bodies and response fields of the OpenAI wire format, as the engine servers speak it. */
final class OpenAiJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private OpenAiJson() {
    }

    /** A streaming chat body for {@code upstreamModel}; usage is asked for in the last chunk. */
    static String chatBody(String upstreamModel, ChatRequest request) {
        ObjectNode body = streamingBody(upstreamModel, request.sampling());
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage message : request.messages()) {
            messages.addObject().put("role", message.role()).put("content", message.content());
        }
        return write(body);
    }

    static String completionBody(String upstreamModel, CompletionRequest request) {
        ObjectNode body = streamingBody(upstreamModel, request.sampling());
        body.put("prompt", request.prompt());
        return write(body);
    }

    static String embeddingBody(String upstreamModel, EmbeddingRequest request) {
        ObjectNode body = MAPPER.createObjectNode().put("model", upstreamModel);
        ArrayNode input = body.putArray("input");
        request.inputs().forEach(input::add);
        return write(body);
    }

    static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Kind.INTERNAL, "The engine server sent malformed JSON: "
                    + abbreviate(json));
        }
    }

    /** The text of a chat delta ({@code choices[0].delta.content}) or a completion chunk ({@code choices[0].text}). */
    static String deltaText(JsonNode chunk) {
        JsonNode choice = chunk.path("choices").path(0);
        JsonNode content = choice.path("delta").path("content");
        if (content.isTextual()) {
            return content.asText();
        }
        JsonNode text = choice.path("text");
        return text.isTextual() ? text.asText() : "";
    }

    static FinishReason finishReason(JsonNode chunk) {
        String reason = chunk.path("choices").path(0).path("finish_reason").asText("");
        return switch (reason) {
            case "" , "null" -> null;
            case "length" -> FinishReason.LENGTH;
            default -> FinishReason.STOP;
        };
    }

    static Usage usage(JsonNode chunk) {
        JsonNode usage = chunk.path("usage");
        if (!usage.isObject()) {
            return null;
        }
        return new Usage(usage.path("prompt_tokens").asInt(), usage.path("completion_tokens").asInt());
    }

    /** The {@code error.message} (or {@code detail}, or the whole body) of an error answer. */
    static String errorMessage(String body) {
        try {
            JsonNode node = MAPPER.readTree(body);
            JsonNode message = node.path("error").path("message");
            if (message.isTextual()) {
                return message.asText();
            }
            if (node.path("error").isTextual()) {
                return node.path("error").asText();
            }
            if (node.path("detail").isTextual()) {
                return node.path("detail").asText();
            }
            if (node.path("message").isTextual()) {
                return node.path("message").asText();
            }
        } catch (JsonProcessingException e) {
            // not JSON: show the text itself
        }
        return abbreviate(body);
    }

    private static ObjectNode streamingBody(String upstreamModel, SamplingParams sampling) {
        ObjectNode body = MAPPER.createObjectNode();
        SamplingParams params = sampling == null ? SamplingParams.defaults() : sampling;
        // Keys the engine understands but Jinference does not model go first, so the fixed ones below win.
        for (Map.Entry<String, Object> extra : params.extra().entrySet()) {
            body.set(extra.getKey(), MAPPER.valueToTree(extra.getValue()));
        }
        body.put("model", upstreamModel).put("stream", true);
        body.putObject("stream_options").put("include_usage", true);
        putIfSet(body, "max_tokens", params.maxTokens());
        putIfSet(body, "temperature", params.temperature());
        putIfSet(body, "top_p", params.topP());
        putIfSet(body, "top_k", params.topK());
        putIfSet(body, "seed", params.seed());
        putIfSet(body, "repetition_penalty", params.repetitionPenalty());
        if (!params.stop().isEmpty()) {
            body.set("stop", MAPPER.valueToTree(List.copyOf(params.stop())));
        }
        return body;
    }

    private static void putIfSet(ObjectNode body, String key, Object value) {
        if (value != null) {
            body.set(key, MAPPER.valueToTree(value));
        }
    }

    private static String write(ObjectNode body) {
        try {
            return MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "Request cannot be written as JSON: "
                    + e.getOriginalMessage());
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
