package io.jinference.api;

import java.util.List;

/** A chat completion request. */
public record ChatRequest(List<ChatMessage> messages, SamplingParams sampling) {
    public ChatRequest {
        messages = List.copyOf(messages);
    }
}
