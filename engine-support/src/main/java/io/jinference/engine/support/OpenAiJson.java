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
import io.jinference.api.ResponseFormat;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenLogprob;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolCallDelta;
import io.jinference.api.ToolChoice;
import io.jinference.api.ToolDefinition;
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
            ObjectNode turn = messages.addObject().put("role", message.role()).put("content", message.content());
            if (!message.toolCalls().isEmpty()) {
                ArrayNode calls = turn.putArray("tool_calls");
                for (ToolCall call : message.toolCalls()) {
                    calls.addObject().put("id", call.id()).put("type", "function").putObject("function")
                            .put("name", call.name()).put("arguments", call.arguments());
                }
            }
            if (message.toolCallId() != null) {
                turn.put("tool_call_id", message.toolCallId());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = body.putArray("tools");
            for (ToolDefinition tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function")
                        .put("name", tool.name());
                putIfSet(function, "description", tool.description());
                function.set("parameters", MAPPER.valueToTree(tool.parameters()));
            }
            ToolChoice choice = request.toolChoice();
            if (choice.mode() == ToolChoice.Mode.FUNCTION) {
                body.putObject("tool_choice").put("type", "function").putObject("function")
                        .put("name", choice.function());
            } else {
                body.put("tool_choice", choice.mode().name().toLowerCase(java.util.Locale.ROOT));
            }
            body.put("parallel_tool_calls", choice.parallel());
        }
        putResponseFormat(body, request.responseFormat());
        if (request.output().logprobs()) {
            body.put("logprobs", true).put("top_logprobs", request.output().topLogprobs());
        }
        return write(body);
    }

    static String completionBody(String upstreamModel, CompletionRequest request) {
        ObjectNode body = streamingBody(upstreamModel, request.sampling());
        if (request.prompts().size() == 1) {
            body.put("prompt", request.prompt());
        } else {
            ArrayNode prompts = body.putArray("prompt");
            request.prompts().forEach(prompts::add);
        }
        putResponseFormat(body, request.responseFormat());
        if (request.output().logprobs()) {
            body.put("logprobs", request.output().topLogprobs());
        }
        if (request.output().echo()) {
            body.put("echo", true);
        }
        return write(body);
    }

    private static void putResponseFormat(ObjectNode body, ResponseFormat format) {
        switch (format.type()) {
            case TEXT -> { }
            case JSON_OBJECT -> body.putObject("response_format").put("type", "json_object");
            case JSON_SCHEMA -> {
                ObjectNode schema = body.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("strict", format.strict());
                putIfSet(schema, "name", format.name());
                schema.set("schema", MAPPER.valueToTree(format.schema()));
            }
        }
    }

    /** Chat's {@code choices[0].logprobs.content}, as the engine API's records; empty when the chunk has none. */
    static List<TokenLogprob> logprobs(JsonNode chunk) {
        List<TokenLogprob> tokens = new java.util.ArrayList<>();
        for (JsonNode token : chunk.path("choices").path(0).path("logprobs").path("content")) {
            List<TokenLogprob> top = new java.util.ArrayList<>();
            for (JsonNode alternative : token.path("top_logprobs")) {
                top.add(new TokenLogprob(alternative.path("token").asText(), alternative.path("logprob").asDouble(),
                        List.of()));
            }
            tokens.add(new TokenLogprob(token.path("token").asText(), token.path("logprob").asDouble(), top));
        }
        return tokens;
    }

    /** Chat's {@code choices[0].delta.tool_calls}, as the engine API's records. */
    static List<ToolCallDelta> toolCallDeltas(JsonNode chunk) {
        List<ToolCallDelta> deltas = new java.util.ArrayList<>();
        for (JsonNode call : chunk.path("choices").path(0).path("delta").path("tool_calls")) {
            JsonNode function = call.path("function");
            deltas.add(new ToolCallDelta(call.path("index").asInt(0), textOrNull(call.path("id")),
                    textOrNull(function.path("name")), function.path("arguments").asText("")));
        }
        return deltas;
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() ? node.asText() : null;
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
            case "tool_calls" -> FinishReason.TOOL_CALLS;
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
        putIfSet(body, "presence_penalty", params.presencePenalty());
        putIfSet(body, "frequency_penalty", params.frequencyPenalty());
        if (!params.logitBias().isEmpty()) {
            ObjectNode bias = body.putObject("logit_bias");
            params.logitBias().forEach((token, value) -> bias.put(String.valueOf(token), value));
        }
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
