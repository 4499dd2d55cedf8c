package io.jinference.launcher.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reading request bodies and writing JSON answers; every parse problem becomes a 400 with a clear detail. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /** The request attribute holding a parse of the body made before the route's handler ran. */
    private static final String PARSED_BODY = "jinference.parsedBody";

    private Json() {
    }

    /**
     * Parses the body ahead of the route's handler (a check that needs it, {@link PromptBound}) and keeps the result
     * for the handler's {@link #body}, so that the body is parsed once per request.
     */
    static JsonNode parseAhead(Context ctx) throws JsonProcessingException {
        JsonNode node = MAPPER.readTree(ctx.body());
        if (node instanceof ObjectNode) {
            ctx.attribute(PARSED_BODY, node);
        }
        return node;
    }

    /** The request body as a JSON object; each call after the first parses it anew, so callers may change it. */
    public static ObjectNode body(Context ctx) {
        JsonNode node = ctx.attribute(PARSED_BODY);
        if (node != null) {
            ctx.attribute(PARSED_BODY, null);
        } else {
            node = parse(ctx.body());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiError.badRequest("The request body must be a JSON object");
        }
        return object;
    }

    private static JsonNode parse(String text) {
        if (text.isBlank()) {
            throw ApiError.badRequest("The request body is empty; a JSON object is expected");
        }
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("Malformed JSON body: " + e.getOriginalMessage());
        }
    }

    public static void send(Context ctx, Object value) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the answer", e);
        }
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise " + value.getClass().getSimpleName(), e);
        }
    }

    /** A text field, null when absent or JSON null; 400 when it is not a string. */
    public static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ApiError.badParameter(field, field + " must be a string");
        }
        return value.asText();
    }

    public static String requiredText(JsonNode body, String field) {
        String value = text(body, field);
        if (value == null || value.isBlank()) {
            throw ApiError.badParameter(field, field + " is required");
        }
        return value;
    }

    public static Integer integer(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.canConvertToInt() || !value.isIntegralNumber()) {
            throw ApiError.badParameter(field, field + " must be an integer");
        }
        return value.intValue();
    }

    /** A whole number that fits in 64 bits (seeds); null when absent. */
    public static Long longInteger(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw ApiError.badParameter(field, field + " must be an integer");
        }
        return value.longValue();
    }

    public static Double number(JsonNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw ApiError.badParameter(field, field + " must be a number");
        }
        return value.doubleValue();
    }

    public static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw ApiError.badParameter(field, field + " must be true or false");
        }
        return value.booleanValue();
    }

    /** A string or a list of strings, as OpenAI accepts for {@code stop} and {@code input}. */
    public static List<String> textOrTexts(JsonNode body, String field) {
        JsonNode value = body.get(field);
        List<String> texts = new ArrayList<>();
        if (value == null || value.isNull()) {
            return texts;
        }
        if (value.isTextual()) {
            texts.add(value.asText());
            return texts;
        }
        if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw ApiError.badParameter(field, field + " must be a string or a list of strings");
                }
                texts.add(item.asText());
            }
            return texts;
        }
        throw ApiError.badParameter(field, field + " must be a string or a list of strings");
    }

    /** A JSON object as plain Java values (maps, lists, strings, numbers, booleans), as the engine API carries it. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> plain(JsonNode object) {
        return MAPPER.convertValue(object, Map.class);
    }

    /** Every non-null field of {@code body} not in {@code known}, as plain Java values. */
    public static Map<String, Object> rest(JsonNode body, Set<String> known) {
        Map<String, Object> rest = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : body.properties()) {
            if (!known.contains(field.getKey()) && !field.getValue().isNull()) {
                rest.put(field.getKey(), MAPPER.convertValue(field.getValue(), Object.class));
            }
        }
        return rest;
    }
}
