package io.jinference.launcher.rest;

import io.jinference.api.Generation;
import io.jinference.api.TokenLogprob;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolCallDelta;
import io.jinference.api.Usage;
import java.util.ArrayList;
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

    /**
     * One generated choice: its text, the logprobs of its tokens (empty unless asked for), how it ended, and the
     * tool calls it made (empty for none).
     */
    record Answer(String text, List<TokenLogprob> logprobs, Generation generation, List<ToolCall> toolCalls) {
    }

    abstract String objectName();

    abstract String chunkObjectName();

    /** One choice of the whole answer. */
    abstract Map<String, Object> choice(int index, String text, List<TokenLogprob> logprobs, String finishReason);

    /** One choice of a stream chunk; a null delta is the final chunk carrying the finish reason. */
    abstract Map<String, Object> chunkChoice(int index, String delta, String finishReason);

    /** OpenAI's {@code logprobs} of a choice; null when none were asked for. */
    abstract Object logprobs(List<TokenLogprob> logprobs);

    /** A stream chunk with a piece of a tool call; only chat answers have tool calls. */
    Map<String, Object> toolCallChunk(int index, ToolCallDelta delta) {
        throw new UnsupportedOperationException(objectName() + " answers have no tool calls");
    }

    /** What a stream sends before a choice's first text (chat announces the assistant role); null for nothing. */
    Map<String, Object> openingChunk(int index) {
        return null;
    }

    Map<String, Object> response(List<Answer> answers, Usage usage) {
        Map<String, Object> response = envelope(objectName());
        List<Map<String, Object>> choices = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            Map<String, Object> choice = choice(i, answer.text(), answer.logprobs(), finishReason(answer.generation()));
            if (!answer.toolCalls().isEmpty()) {
                withToolCalls(choice, answer.toolCalls());
            }
            choices.add(choice);
        }
        response.put("choices", choices);
        response.put("usage", usage(usage));
        return response;
    }

    /** Adds the calls to a choice of the whole answer; only chat answers have tool calls. */
    void withToolCalls(Map<String, Object> choice, List<ToolCall> calls) {
        throw new UnsupportedOperationException(objectName() + " answers have no tool calls");
    }

    Map<String, Object> chunk(int index, String delta) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of(chunkChoice(index, delta, null)));
        return chunk;
    }

    /** A chunk carrying the logprobs of the text sent just before it. */
    Map<String, Object> logprobsChunk(int index, List<TokenLogprob> logprobs) {
        Map<String, Object> choice = chunkChoice(index, "", null);
        choice.put("logprobs", logprobs(logprobs));
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of(choice));
        return chunk;
    }

    /**
     * The chunk with a choice's finish reason. The last one also carries the counts as llama-server's {@code timings}
     * ({@code prompt_n}, {@code predicted_n}), as llama-server does on every stream: a stream from a model host
     * to a client that did not ask for a usage chunk still tells the server how many tokens it cost (the
     * metrics read them as they pass, see {@code SseUsage}). Clients ignore the field, as they do llama-server's.
     *
     * @param total the usage of the whole answer, on the last choice's chunk; else null
     */
    Map<String, Object> finalChunk(int index, Generation generation, Usage total) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of(chunkChoice(index, null, finishReason(generation))));
        if (total != null) {
            chunk.put("timings", Map.of("prompt_n", total.promptTokens(), "predicted_n", total.completionTokens()));
        }
        return chunk;
    }

    Map<String, Object> usageChunk(Usage usage) {
        Map<String, Object> chunk = envelope(chunkObjectName());
        chunk.put("choices", List.of());
        chunk.put("usage", usage(usage));
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
            case TOOL_CALLS -> "tool_calls";
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

    /** Chat's {@code {"content": [{"token", "logprob", "bytes", "top_logprobs"}]}}. */
    static Map<String, Object> chatLogprobs(List<TokenLogprob> logprobs) {
        List<Map<String, Object>> content = new ArrayList<>();
        for (TokenLogprob token : logprobs) {
            Map<String, Object> entry = tokenEntry(token);
            entry.put("top_logprobs", token.top().stream().map(OpenAiShape::tokenEntry).toList());
            content.add(entry);
        }
        return Map.of("content", content);
    }

    private static Map<String, Object> tokenEntry(TokenLogprob token) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("token", token.token());
        entry.put("logprob", token.logprob());
        List<Integer> bytes = new ArrayList<>();
        for (byte b : token.token().getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            bytes.add(b & 0xff);
        }
        entry.put("bytes", bytes);
        return entry;
    }

    static final class Chat extends OpenAiShape {
        private final boolean logprobsAsked;

        Chat(String model, boolean logprobsAsked) {
            super("chatcmpl-", model);
            this.logprobsAsked = logprobsAsked;
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
        Object logprobs(List<TokenLogprob> logprobs) {
            return logprobsAsked ? chatLogprobs(logprobs) : null;
        }

        @Override
        Map<String, Object> choice(int index, String text, List<TokenLogprob> logprobs, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("message", Map.of("role", "assistant", "content", text));
            choice.put("logprobs", logprobs(logprobs));
            choice.put("finish_reason", finishReason);
            return choice;
        }

        @Override
        Map<String, Object> chunkChoice(int index, String delta, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("delta", delta == null ? Map.of() : Map.of("content", delta));
            choice.put("finish_reason", finishReason);
            return choice;
        }

        /** OpenAI's message with calls: {@code content} null unless text came before them, and {@code tool_calls}. */
        @Override
        void withToolCalls(Map<String, Object> choice, List<ToolCall> calls) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            Object content = ((Map<?, ?>) choice.get("message")).get("content");
            message.put("content", content instanceof String text && !text.isBlank() ? text : null);
            List<Map<String, Object>> toolCalls = new ArrayList<>();
            for (ToolCall call : calls) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", call.id());
                entry.put("type", "function");
                entry.put("function", Map.of("name", call.name(), "arguments", call.arguments()));
                toolCalls.add(entry);
            }
            message.put("tool_calls", toolCalls);
            choice.put("message", message);
        }

        /**
         * As OpenAI streams {@code delta.tool_calls}: the first piece of a call with its index, id, type and the
         * function's name (and empty arguments), later pieces with the index and more of the arguments.
         */
        @Override
        Map<String, Object> toolCallChunk(int index, ToolCallDelta delta) {
            Map<String, Object> function = new LinkedHashMap<>();
            Map<String, Object> call = new LinkedHashMap<>();
            call.put("index", delta.index());
            if (delta.id() != null) {
                call.put("id", delta.id());
                call.put("type", "function");
            }
            if (delta.name() != null) {
                function.put("name", delta.name());
            }
            function.put("arguments", delta.arguments());
            call.put("function", function);
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("delta", Map.of("tool_calls", List.of(call)));
            choice.put("finish_reason", null);
            Map<String, Object> chunk = chunk(index, "");
            chunk.put("choices", List.of(choice));
            return chunk;
        }

        @Override
        Map<String, Object> openingChunk(int index) {
            Map<String, Object> chunk = chunk(index, "");
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("delta", Map.of("role", "assistant", "content", ""));
            choice.put("finish_reason", null);
            chunk.put("choices", List.of(choice));
            return chunk;
        }
    }

    static final class Completion extends OpenAiShape {
        private final boolean logprobsAsked;

        Completion(String model, boolean logprobsAsked) {
            super("cmpl-", model);
            this.logprobsAsked = logprobsAsked;
        }

        @Override
        String objectName() {
            return "text_completion";
        }

        @Override
        String chunkObjectName() {
            return "text_completion";
        }

        /** The completions API's own shape: tokens, token_logprobs, top_logprobs, text_offset. */
        @Override
        Object logprobs(List<TokenLogprob> logprobs) {
            if (!logprobsAsked) {
                return null;
            }
            List<String> tokens = new ArrayList<>();
            List<Double> tokenLogprobs = new ArrayList<>();
            List<Map<String, Double>> top = new ArrayList<>();
            List<Integer> offsets = new ArrayList<>();
            int offset = 0;
            for (TokenLogprob token : logprobs) {
                tokens.add(token.token());
                tokenLogprobs.add(token.logprob());
                Map<String, Double> alternatives = new LinkedHashMap<>();
                token.top().forEach(alternative -> alternatives.put(alternative.token(), alternative.logprob()));
                top.add(alternatives);
                offsets.add(offset);
                offset += token.token().length();
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("tokens", tokens);
            json.put("token_logprobs", tokenLogprobs);
            json.put("top_logprobs", top);
            json.put("text_offset", offsets);
            return json;
        }

        @Override
        Map<String, Object> choice(int index, String text, List<TokenLogprob> logprobs, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("text", text);
            choice.put("logprobs", logprobs(logprobs));
            choice.put("finish_reason", finishReason);
            return choice;
        }

        @Override
        Map<String, Object> chunkChoice(int index, String delta, String finishReason) {
            Map<String, Object> choice = new LinkedHashMap<>();
            choice.put("index", index);
            choice.put("text", delta == null ? "" : delta);
            choice.put("logprobs", null);
            choice.put("finish_reason", finishReason);
            return choice;
        }
    }
}
