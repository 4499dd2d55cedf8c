package io.jinference.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Converts between {@link ModelFamily} and Xinference's flat v2 family JSON: the body of
 * {@code POST /v1/model_registrations/LLM} and the answer of {@code GET /v1/model_registrations/LLM/{name}}. In the flat
 * form every spec carries one {@code quantization} and one {@code model_hub}; parsing merges them back into specs per
 * (format, size, location).
 */
public final class XinferenceFamilyJson {
    private XinferenceFamilyJson() {
    }

    /** @throws CatalogException when the JSON is malformed or lacks a required field */
    public static ModelFamily parse(String json) {
        try {
            JsonNode node = CatalogJson.MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new CatalogException("Model registration must be a JSON object");
            }
            return parse(node);
        } catch (JsonProcessingException e) {
            throw new CatalogException("Model registration is not valid JSON: " + e.getOriginalMessage());
        }
    }

    static ModelFamily parse(JsonNode node) {
        String name = Json.textOrNull(node.path("model_name"));
        if (name == null) {
            throw new CatalogException("Model registration lacks model_name");
        }
        if (!node.path("model_specs").isArray()) {
            throw new CatalogException("Model registration " + name + " lacks the model_specs list");
        }
        List<SpecBuilder> specs = new ArrayList<>();
        for (JsonNode flat : node.path("model_specs")) {
            addFlatSpec(name, flat, specs);
        }
        String baseFamily = Json.textOrNull(node.path("model_family"));
        return new ModelFamily(name, node.path("model_description").asText(""), Json.strings(node.path("model_lang")),
                Json.strings(node.path("model_ability")), node.path("context_length").asInt(2048),
                Json.strings(node.path("architectures")), Json.textOrNull(node.path("chat_template")),
                Json.strings(node.path("stop")), Json.ints(node.path("stop_token_ids")),
                specs.stream().map(SpecBuilder::build).toList(),
                Objects.equals(baseFamily, name) ? null : baseFamily,
                node.path("is_builtin").asBoolean(false));
    }

    /** Merges one flat spec into the spec of the same format, size, location and hub id, or starts a new one. */
    private static void addFlatSpec(String family, JsonNode flat, List<SpecBuilder> specs) {
        String format = Json.textOrNull(flat.path("model_format"));
        JsonNode sizeNode = flat.path("model_size_in_billions");
        if (format == null || sizeNode.isMissingNode() || sizeNode.isNull()) {
            throw new CatalogException("Model registration " + family + ": every spec needs model_format and model_size_in_billions");
        }
        List<String> quantizations = flat.has("quantizations") ? Json.strings(flat.path("quantizations"))
                : flat.hasNonNull("quantization") ? List.of(flat.path("quantization").asText()) : List.of();
        String hub = flat.hasNonNull("model_hub") ? flat.path("model_hub").asText() : "huggingface";
        String modelId = Json.textOrNull(flat.path("model_id"));
        ModelSource source = modelId == null ? null : new ModelSource(modelId,
                Json.textOrNull(flat.path("model_file_name_template")), Json.textOrNull(flat.path("model_revision")));
        String uri = Json.textOrNull(flat.path("model_uri"));
        // Xinference writes sizes as 7, "0_5" or 1.8; keep the catalog's "1_8" spelling when the value is a number
        String size = ModelSizes.isValid(sizeNode.asText()) ? ModelSizes.canonical(sizeNode.asText()) : sizeNode.asText();
        SpecBuilder target = specs.stream().filter(spec -> spec.accepts(format, size, uri, hub, source)).findFirst()
                .orElseGet(() -> {
                    SpecBuilder created = new SpecBuilder(format, size, uri);
                    specs.add(created);
                    return created;
                });
        target.add(hub, source, quantizations);
    }

    /** The flat Xinference form: one spec entry per hub and quantization. */
    public static Map<String, Object> toFlat(ModelFamily family) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", 2);
        map.put("context_length", family.contextLength());
        map.put("model_name", family.name());
        map.put("model_lang", family.languages());
        map.put("model_ability", family.abilities());
        map.put("model_description", family.description());
        map.put("model_family", family.baseFamily());
        List<Map<String, Object>> specs = new ArrayList<>();
        for (ModelSpec spec : family.specs()) {
            Map<String, ModelSource> sources = spec.sources().isEmpty()
                    ? Map.of("huggingface", new ModelSource(null, null, null)) : spec.sources();
            sources.forEach((hub, source) -> spec.quantizations().forEach(quantization -> {
                Map<String, Object> flat = new LinkedHashMap<>();
                flat.put("model_format", spec.format());
                flat.put("model_size_in_billions", spec.sizeInBillions());
                flat.put("quantization", quantization);
                flat.put("model_id", source.modelId());
                flat.put("model_hub", hub);
                flat.put("model_uri", spec.modelUri());
                flat.put("model_revision", source.revision());
                if (source.fileNameTemplate() != null) {
                    flat.put("model_file_name_template", source.fileNameTemplate());
                }
                specs.add(flat);
            }));
        }
        map.put("model_specs", specs);
        map.put("chat_template", family.chatTemplate());
        map.put("stop_token_ids", family.stopTokenIds());
        map.put("stop", family.stop());
        map.put("architectures", family.architectures());
        map.put("is_builtin", family.builtin());
        return map;
    }

    /** Collects flat specs that belong together. */
    private static final class SpecBuilder {
        private final String format;
        private final String size;
        private final String uri;
        private final Map<String, ModelSource> sources = new LinkedHashMap<>();
        private final List<String> quantizations = new ArrayList<>();

        SpecBuilder(String format, String size, String uri) {
            this.format = format;
            this.size = size;
            this.uri = uri;
        }

        boolean accepts(String format, String size, String uri, String hub, ModelSource source) {
            return this.format.equals(format) && ModelSizes.matches(this.size, size) && Objects.equals(this.uri, uri)
                    && (source == null || !sources.containsKey(hub) || sources.get(hub).equals(source));
        }

        void add(String hub, ModelSource source, List<String> quants) {
            if (source != null) {
                sources.putIfAbsent(hub, source);
            }
            quants.stream().filter(q -> !quantizations.contains(q)).forEach(quantizations::add);
        }

        ModelSpec build() {
            return new ModelSpec(format, size, quantizations, sources, uri);
        }
    }
}
