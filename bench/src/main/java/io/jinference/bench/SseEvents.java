package io.jinference.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Optional;

/** Reads OpenAI-style Server-Sent Events: {@code data: {json}} lines, ended by {@code data: [DONE]}. */
final class SseEvents {
    private static final String DATA = "data:";

    private SseEvents() {
    }

    /** The JSON payload of a {@code data:} line; empty for blank lines, comments, other fields and {@code [DONE]}. */
    static Optional<JsonNode> data(String line, ObjectMapper json) {
        if (!line.startsWith(DATA)) {
            return Optional.empty();
        }
        String payload = line.substring(DATA.length()).trim();
        if (payload.isEmpty() || payload.equals("[DONE]")) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readTree(payload));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not JSON after 'data:': " + payload, e);
        }
    }

    /** Whether a chat chunk carries generated text (the role-only first chunk and the usage-only last one do not). */
    static boolean hasContent(JsonNode chunk) {
        JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
        return content.isTextual() && !content.asText().isEmpty();
    }
}
