package io.jinference.api;

import java.util.List;

/**
 * One chat turn.
 *
 * @param content the text; empty for an assistant turn that only calls tools
 * @param toolCalls the calls an assistant turn made; empty otherwise
 * @param toolCallId the call a {@code tool} turn answers; null otherwise
 */
public record ChatMessage(String role, String content, List<ToolCall> toolCalls, String toolCallId) {
    public ChatMessage {
        content = content == null ? "" : content;
        toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
    }

    public ChatMessage(String role, String content) {
        this(role, content, List.of(), null);
    }
}
