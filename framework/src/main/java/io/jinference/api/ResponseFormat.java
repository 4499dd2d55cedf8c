package io.jinference.api;

import java.util.Map;
import java.util.Objects;

/**
 * The form the answer must take: OpenAI's {@code response_format}.
 *
 * @param name the schema's name ({@code json_schema.name}); null unless {@link Type#JSON_SCHEMA}
 * @param schema the JSON Schema as plain Java values; empty unless {@link Type#JSON_SCHEMA}
 * @param strict {@code json_schema.strict}
 * @since 1.2
 */
public record ResponseFormat(Type type, String name, Map<String, Object> schema, boolean strict) {
    public enum Type {
        /** Free text (the default). */
        TEXT,
        /** Any JSON object. */
        JSON_OBJECT,
        /** JSON matching {@link #schema()}. */
        JSON_SCHEMA
    }

    public ResponseFormat {
        Objects.requireNonNull(type, "type");
        schema = schema == null ? Map.of() : Map.copyOf(schema);
    }

    public static ResponseFormat text() {
        return new ResponseFormat(Type.TEXT, null, Map.of(), false);
    }

    /** True when the answer is constrained to JSON. */
    public boolean structured() {
        return type != Type.TEXT;
    }
}
