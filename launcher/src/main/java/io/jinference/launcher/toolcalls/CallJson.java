package io.jinference.launcher.toolcalls;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON of calls as the chat-template families write it, read with Jackson: an object with {@code name} and its
 * {@code arguments} (Hermes, Mistral) or {@code parameters} (Llama 3). Anything else is not a call, and the caller
 * keeps the model's text as text.
 */
final class CallJson {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private CallJson() {
    }

    /** One call from its JSON object; empty when the JSON is malformed or not a call. */
    static Optional<ParsedToolCall> call(String json) {
        try {
            return call(MAPPER.readTree(json.strip()));
        } catch (JsonProcessingException malformed) {
            return Optional.empty();
        }
    }

    /** One call from a parsed JSON value; empty when it is not an object with a name and object arguments. */
    static Optional<ParsedToolCall> call(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("name").isTextual() || node.path("name").asText().isBlank()) {
            return Optional.empty();
        }
        JsonNode arguments = node.has("arguments") ? node.get("arguments") : node.get("parameters");
        return arguments(arguments).map(json -> new ParsedToolCall(node.get("name").asText(), json));
    }

    /**
     * Arguments as JSON object text: an object, absent (no arguments), or a string holding an object (some models
     * write the arguments as OpenAI sends them, already encoded).
     */
    static Optional<String> arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return Optional.of("{}");
        }
        if (arguments.isObject()) {
            return Optional.of(arguments.toString());
        }
        if (arguments.isTextual()) {
            try {
                JsonNode decoded = MAPPER.readTree(arguments.asText());
                return decoded != null && decoded.isObject() ? Optional.of(decoded.toString()) : Optional.empty();
            } catch (JsonProcessingException malformed) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * The JSON values written one after the other in {@code text}, each followed by blanks or by {@code separator}
     * (Llama 3 joins several calls with {@code ;}); empty when any part is not JSON.
     */
    static Optional<List<JsonNode>> sequence(String text, char separator) {
        List<JsonNode> values = new ArrayList<>();
        int offset = 0;
        while (true) {
            offset = skip(text, offset, separator, values.isEmpty());
            if (offset < 0) {
                return Optional.empty();
            }
            if (offset == text.length()) {
                return values.isEmpty() ? Optional.empty() : Optional.of(values);
            }
            try (JsonParser parser = MAPPER.createParser(text.substring(offset))) {
                values.add(MAPPER.readTree(parser));
                offset += (int) parser.currentLocation().getCharOffset();
            } catch (IOException malformed) {
                return Optional.empty();
            }
        }
    }

    /** Past blanks and at most one separator between values; -1 when anything else stands there. */
    private static int skip(String text, int offset, char separator, boolean first) {
        boolean separated = first;
        int i = offset;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == separator && !separated) {
                separated = true;
            } else if (!Character.isWhitespace(c)) {
                break;
            }
            i++;
        }
        return i == text.length() || separated || i > offset ? i : -1;
    }
}
