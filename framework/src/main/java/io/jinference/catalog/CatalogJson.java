package io.jinference.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Jinference's own catalog format (the built-in resource and custom registrations on disk): one object per family with
 * {@code name, description, languages, abilities, context_length, architectures, chat_template, stop, stop_token_ids,
 * base_family, specs[{format, size, quantizations, sources{hub:{model_id, file_name_template, revision}}, model_uri}]}.
 */
final class CatalogJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CatalogJson() {
    }

    static List<ModelFamily> readCatalog(JsonNode root) {
        JsonNode families = root.path("families");
        if (!families.isArray()) {
            throw new CatalogException("catalog has no 'families' array");
        }
        List<ModelFamily> result = new ArrayList<>();
        families.forEach(node -> result.add(readFamily(node, true)));
        return result;
    }

    /**
     * The family of the catalog document in {@code in} whose lower-cased name is {@code key}, read as a token stream:
     * every other family is skipped unparsed, which a command needing one family (a fresh {@code jinf download}) would
     * otherwise spend a fifth of its start-up on, reading all of them into trees.
     */
    static Optional<ModelFamily> readFamilyWithKey(InputStream in, String key) throws IOException {
        try (JsonParser parser = MAPPER.createParser(in)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new CatalogException("catalog is not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                JsonToken value = parser.nextToken();
                if (parser.currentName().equals("families") && value == JsonToken.START_ARRAY) {
                    return findInFamilies(parser, key);
                }
                parser.skipChildren();
            }
            throw new CatalogException("catalog has no 'families' array");
        }
    }

    private static Optional<ModelFamily> findInFamilies(JsonParser parser, String key) throws IOException {
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            ObjectNode family = MAPPER.createObjectNode();
            boolean other = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (other) {
                    parser.skipChildren();
                    continue;
                }
                JsonNode value = parser.readValueAsTree();
                family.set(field, value);
                other = field.equals("name") && !value.asText().toLowerCase(Locale.ROOT).equals(key);
            }
            if (!other) {
                return Optional.of(readFamily(family, true));
            }
        }
        return Optional.empty();
    }

    static ModelFamily readFamily(JsonNode node, boolean builtin) {
        String name = requiredText(node, "name");
        List<ModelSpec> specs = new ArrayList<>();
        node.path("specs").forEach(spec -> specs.add(readSpec(name, spec)));
        return new ModelFamily(name, node.path("description").asText(""), Json.strings(node.path("languages")),
                Json.strings(node.path("abilities")), node.path("context_length").asInt(2048),
                Json.strings(node.path("architectures")), Json.textOrNull(node.path("chat_template")),
                Json.strings(node.path("stop")), Json.ints(node.path("stop_token_ids")), specs,
                Json.textOrNull(node.path("base_family")), builtin);
    }

    private static ModelSpec readSpec(String family, JsonNode spec) {
        JsonNode size = spec.path("size");
        if (size.isMissingNode() || size.isNull()) {
            throw new CatalogException("family " + family + ": a spec has no size");
        }
        Map<String, ModelSource> sources = new LinkedHashMap<>();
        spec.path("sources").fields().forEachRemaining(hub -> sources.put(hub.getKey(), new ModelSource(
                Json.textOrNull(hub.getValue().path("model_id")),
                Json.textOrNull(hub.getValue().path("file_name_template")),
                Json.textOrNull(hub.getValue().path("revision")))));
        return new ModelSpec(requiredText(spec, "format"), size.asText(), Json.strings(spec.path("quantizations")),
                sources, Json.textOrNull(spec.path("model_uri")));
    }

    static Map<String, Object> toMap(ModelFamily family) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", family.name());
        map.put("description", family.description());
        map.put("languages", family.languages());
        map.put("abilities", family.abilities());
        map.put("context_length", family.contextLength());
        map.put("architectures", family.architectures());
        map.put("chat_template", family.chatTemplate());
        map.put("stop", family.stop());
        map.put("stop_token_ids", family.stopTokenIds());
        map.put("base_family", family.baseFamily());
        List<Map<String, Object>> specs = new ArrayList<>();
        for (ModelSpec spec : family.specs()) {
            Map<String, Object> specMap = new LinkedHashMap<>();
            specMap.put("format", spec.format());
            specMap.put("size", spec.sizeInBillions());
            specMap.put("quantizations", spec.quantizations());
            Map<String, Object> sources = new LinkedHashMap<>();
            spec.sources().forEach((hub, source) -> {
                Map<String, Object> sourceMap = new LinkedHashMap<>();
                sourceMap.put("model_id", source.modelId());
                sourceMap.put("file_name_template", source.fileNameTemplate());
                sourceMap.put("revision", source.revision());
                sources.put(hub, sourceMap);
            });
            specMap.put("sources", sources);
            specMap.put("model_uri", spec.modelUri());
            specs.add(specMap);
        }
        map.put("specs", specs);
        return map;
    }

    private static String requiredText(JsonNode node, String field) {
        String text = Json.textOrNull(node.path(field));
        if (text == null || text.isBlank()) {
            throw new CatalogException("missing required field '" + field + "'");
        }
        return text;
    }
}
