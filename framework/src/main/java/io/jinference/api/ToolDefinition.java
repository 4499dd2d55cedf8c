package io.jinference.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A function the model may call: OpenAI's {@code tools[].function}.
 *
 * @param description what the function does, for the model; may be null
 * @param parameters the JSON Schema of its arguments as plain Java values (maps, lists, strings, numbers, booleans);
 *     empty for a function without parameters
 * @param strict OpenAI's {@code strict}: the arguments must match the schema exactly
 * @since 1.2
 */
public record ToolDefinition(String name, String description, Map<String, Object> parameters, boolean strict) {
    public ToolDefinition {
        Objects.requireNonNull(name, "name");
        // insertion order kept: chat templates print the schema (tojson), and the model was trained on its order
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }
}
