package io.jinference.launcher.toolcalls;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Hermes' format, which Qwen2.5 and Qwen3 templates teach: each call is a JSON object
 * {@code {"name": ..., "arguments": {...}}} between {@code <tool_call>} and {@code </tool_call>}, after any text
 * (Qwen3's {@code <think>} block included). As vLLM's {@code hermes} parser: the text before the first call is the
 * content, and the last call may lack its closing tag when the model stopped right after its JSON.
 */
final class HermesToolCalls {
    static final String OPEN = "<tool_call>";
    private static final Pattern CALL = Pattern.compile("<tool_call>(.*?)</tool_call>|<tool_call>(.*)\\z", Pattern.DOTALL);

    private HermesToolCalls() {
    }

    static Optional<ToolCallParse> parse(String text) {
        int first = text.indexOf(OPEN);
        if (first < 0) {
            return Optional.empty();
        }
        List<ParsedToolCall> calls = new ArrayList<>();
        Matcher matcher = CALL.matcher(text);
        while (matcher.find()) {
            String json = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
            Optional<ParsedToolCall> call = CallJson.call(json);
            if (call.isEmpty()) {
                return Optional.empty();
            }
            calls.add(call.get());
        }
        return Optional.of(new ToolCallParse(text.substring(0, first), calls));
    }
}
