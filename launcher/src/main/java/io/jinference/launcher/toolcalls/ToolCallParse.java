package io.jinference.launcher.toolcalls;

import java.util.List;

/**
 * A model's output read as an answer with tool calls.
 *
 * @param content the text before the first call; null when there is none but blanks
 * @param calls the calls, at least one
 */
public record ToolCallParse(String content, List<ParsedToolCall> calls) {
    public ToolCallParse {
        content = content == null || content.isBlank() ? null : content.strip();
        calls = List.copyOf(calls);
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("a tool-call answer has at least one call");
        }
    }
}
