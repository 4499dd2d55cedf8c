package io.jinference.api;

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
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
