package io.jinference.api;

/** One chat turn. */
public record ChatMessage(String role, String content) {
}
