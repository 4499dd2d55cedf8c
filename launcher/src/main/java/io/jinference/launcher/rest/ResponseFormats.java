package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ResponseFormat;
import java.util.Map;

/** OpenAI's {@code response_format}: {@code text}, {@code json_object}, or {@code json_schema} with a schema. */
final class ResponseFormats {
    private static final String PARAM = "response_format";

    private ResponseFormats() {
    }

    static ResponseFormat parse(JsonNode format) {
        if (format == null || format.isNull()) {
            return ResponseFormat.text();
        }
        if (!format.isObject()) {
            throw ApiError.badParameter(PARAM, "response_format must be an object such as {\"type\": \"json_object\"}");
        }
        String type = format.path("type").asText("");
        return switch (type) {
            case "text" -> ResponseFormat.text();
            case "json_object" -> new ResponseFormat(ResponseFormat.Type.JSON_OBJECT, null, Map.of(), false);
            case "json_schema" -> jsonSchema(format.get("json_schema"));
            default -> throw ApiError.badParameter(PARAM, "response_format.type must be text, json_object or"
                    + " json_schema, got '" + type + "'");
        };
    }

    private static ResponseFormat jsonSchema(JsonNode jsonSchema) {
        if (jsonSchema == null || !jsonSchema.isObject()) {
            throw ApiError.badParameter(PARAM, "response_format json_schema needs a json_schema object with a name"
                    + " and a schema");
        }
        JsonNode schema = jsonSchema.get("schema");
        if (schema == null || !schema.isObject()) {
            throw ApiError.badParameter(PARAM, "response_format.json_schema.schema must be a JSON Schema object");
        }
        return new ResponseFormat(ResponseFormat.Type.JSON_SCHEMA, Json.text(jsonSchema, "name"),
                Json.plain(schema), Json.bool(jsonSchema, "strict", false));
    }
}
