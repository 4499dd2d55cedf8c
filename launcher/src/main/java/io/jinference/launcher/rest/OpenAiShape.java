package io.jinference.launcher.rest;

import io.jinference.api.Generation;
import io.jinference.api.Usage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON shapes of one OpenAI endpoint that generates text: chat completions or plain completions. */
abstract class OpenAiShape {
    final String id;
    final String model;
    final long created = System.currentTimeMillis() / 1000;

    OpenAiShape(String idPrefix, String model) {
        this.id = idPrefix + UUID.randomUUID().toString().replace("-", "");
        this.model = model;
    }

    abstract String objectName();

    abstract String chunkObjectName();

    /** One choice of the whole answer. */
    abstract Map<String, Object> choice(String text, String finishReason);

    /** One choice of a stream chunk; a null delta is the final chunk carrying the finish reason. */
    abstract Map<String, Object> chunkChoice(String delta, String finishReason);

    /** What a stream sends before the first text (chat announces the assistant role); null for nothing. */
    Map<String, Object> openingChunk() {
        return null;
    }

    Map<String, Object> response(String text, Generation generation) {
        Map<String, Object> response = envelope(objectName());
        response.put("choices", List.of(choice(text, finishReason(generation))));
        response.put("usage", usage(generation.usage()));
        return response;
    }

    Map<String, Object> chunk(String delta) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of(chunkChoice(delta, null)));
        return chunk;
    }

    Map<String, Object> finalChunk(Generation generation) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of(chunkChoice(null, finishReason(generation))));
        return chunk;
    }

    Map<String, Object> usageChunk(Generation generation) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of());
        chunk.put("usage", usage(generation.usage()));
        return chunk;
    }

    private Map<String, Object> envelope(String object) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("id", id);
        envelope.put("object", object);
        envelope.put("created", created);
        envelope.put("model", model);
        return envelope;
    }

    /** A cancelled generation only reaches a client that is gone; "stop" keeps the value inside OpenAI's set. */
    private static String finishReason(Generation generation) {
        return switch (generation.finishReason()) {
            case LENGTH -> "length";
            case STOP, CANCELLED -> "stop";
        };
    }

    private static Map<String, Object> usage(Usage usage) {
        Usage counted = usage == null ? new Usage(0, 0) : usage;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("prompt_tokens", counted.promptTokens());
        json.put("completion_tokens", counted.completionTokens());
        json.put("total_tokens", counted.totalTokens());
        return json;
    }

    static final class Chat extends OpenAiShape {
        Chat(String model) {
            super("chatcmpl-", model);
        }

        @Override
        String objectName() {
            return "chat.completion";
        }

        @Override
        String chunkObjectName() {
            return "chat.completion.chunk";
        }

        @Override
        Map<String, Object> choice(String text, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("message", Map.of("role", "assistant", "content", text));
            choice.put("finish_reason", finishReason);
            return choice;
        }

        @Override
        Map<String, Object> chunkChoice(String delta, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", delta == null ? Map.of() : Map.of("content", delta));
            choice.put("finish_reason", finishReason);
            return choice;
        }

        @Override
        Map<String, Object> openingChunk() {
            Map<String, Object> chunk = chunk("");
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("delta", Map.of("role", "assistant", "content", ""));
            choice.put("finish_reason", null);
            chunk.put("choices", List.of(choice));
            return chunk;
        }
    }

    static final class Completion extends OpenAiShape {
        Completion(String model) {
            super("cmpl-", model);
        }

        @Override
        String objectName() {
            return "text_completion";
        }

        @Override
        String chunkObjectName() {
            return "text_completion";
        }

        @Override
        Map<String, Object> choice(String text, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", 0);
            choice.put("text", text);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            return choice;
        }

        @Override
        Map<String, Object> chunkChoice(String delta, String finishReason) {
            return choice(delta == null ? "" : delta, finishReason);
        }
    }
}
