package io.jinference.launcher.toolcalls;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Mistral's formats after {@code [TOOL_CALLS]}: a JSON list of {@code {"name", "arguments"}} objects (tokenizer v3,
 * Mistral 7B v0.3, Mixtral 8x22B, Mistral Nemo), or, from tokenizer v11 on (Mistral Small 3.2, Magistral, Devstral),
 * {@code name[ARGS]{...}} per call, each call after its own {@code [TOOL_CALLS]}, optionally with
 * {@code [CALL_ID]id} before {@code [ARGS]}. The text before the first {@code [TOOL_CALLS]} is the content.
 */
final class MistralToolCalls {
    static final String MARKER = "[TOOL_CALLS]";
    private static final String ARGS = "[ARGS]";
    private static final String CALL_ID = "[CALL_ID]";

    private MistralToolCalls() {
    }

    static Optional<ToolCallParse> parse(String text) {
        int first = text.indexOf(MARKER);
        if (first < 0) {
            return Optional.empty();
        }
        String calls = text.substring(first + MARKER.length()).strip();
        Optional<List<ParsedToolCall>> parsed = calls.startsWith("[") ? list(calls) : named(calls);
        return parsed.map(found -> new ToolCallParse(text.substring(0, first), found));
    }

    private static Optional<List<ParsedToolCall>> list(String json) {
        JsonNode list;
        try {
            list = CallJson.MAPPER.readTree(json);
        } catch (IOException malformed) {
            return Optional.empty();
        }
        if (list == null || !list.isArray() || list.isEmpty()) {
            return Optional.empty();
        }
        List<ParsedToolCall> calls = new ArrayList<>();
        for (JsonNode value : list) {
            Optional<ParsedToolCall> call = CallJson.call(value);
            if (call.isEmpty()) {
                return Optional.empty();
            }
            calls.add(call.get());
        }
        return Optional.of(calls);
    }

    /** {@code name[ARGS]{...}}, repeated, each further call after another {@code [TOOL_CALLS]}. */
    private static Optional<List<ParsedToolCall>> named(String text) {
        List<ParsedToolCall> calls = new ArrayList<>();
        String rest = text;
        while (!rest.isBlank()) {
            int args = rest.indexOf(ARGS);
            if (args < 0) {
                return Optional.empty();
            }
            String name = rest.substring(0, args);
            int id = name.indexOf(CALL_ID);
            name = (id < 0 ? name : name.substring(0, id)).strip();
            String json = rest.substring(args + ARGS.length());
            JsonNode arguments;
            int end;
            try (JsonParser parser = CallJson.MAPPER.createParser(json)) {
                arguments = CallJson.MAPPER.readTree(parser);
                end = (int) parser.currentLocation().getCharOffset();
            } catch (IOException malformed) {
                return Optional.empty();
            }
            Optional<String> encoded = arguments == null || !arguments.isObject() ? Optional.empty()
                    : CallJson.arguments(arguments);
            if (name.isEmpty() || encoded.isEmpty()) {
                return Optional.empty();
            }
            calls.add(new ParsedToolCall(name, encoded.get()));
            rest = json.substring(end).strip();
            if (rest.startsWith(MARKER)) {
                rest = rest.substring(MARKER.length()).strip();
            }
        }
        return calls.isEmpty() ? Optional.empty() : Optional.of(calls);
    }
}
