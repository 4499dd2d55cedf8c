package io.jinference.launcher.toolcalls;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Llama 3.1, 3.2 and 3.3's format: the answer is the call's JSON, {@code {"name": ..., "parameters": {...}}}, which
 * their templates ask for ("Respond in the format {"name": function name, "parameters": dictionary of argument
 * name and its value}"), several joined by {@code ;}; or the same JSON after {@code <|python_tag|>} (which Llama
 * 3.1 writes before a call, with any text before it). As vLLM's {@code llama3_json} parser, an answer that is not
 * JSON from its start, nor has the tag, is text.
 */
final class Llama3ToolCalls {
    static final String PYTHON_TAG = "<|python_tag|>";

    private Llama3ToolCalls() {
    }

    static Optional<ToolCallParse> parse(String text) {
        int tag = text.indexOf(PYTHON_TAG);
        String content;
        String json;
        if (tag >= 0) {
            content = text.substring(0, tag);
            json = text.substring(tag + PYTHON_TAG.length());
        } else if (text.stripLeading().startsWith("{")) {
            content = null;
            json = text;
        } else {
            return Optional.empty();
        }
        Optional<List<JsonNode>> values = CallJson.sequence(json, ';');
        if (values.isEmpty()) {
            return Optional.empty();
        }
        List<ParsedToolCall> calls = new ArrayList<>();
        for (JsonNode value : values.get()) {
            Optional<ParsedToolCall> call = CallJson.call(value);
            if (call.isEmpty()) {
                return Optional.empty();
            }
            calls.add(call.get());
        }
        return Optional.of(new ToolCallParse(content, calls));
    }
}
