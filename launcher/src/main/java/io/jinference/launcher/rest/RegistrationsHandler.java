package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.ModelFamily;
import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.XinferenceFamilyJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/model_registrations/{model_type}[/{model_name}]}: built-in and custom LLM families. */
final class RegistrationsHandler {
    private final ModelCatalog catalog;

    RegistrationsHandler(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /** Xinference's other model types: the catalog holds no families of them, so their lists are empty. */
    private static final java.util.Set<String> OTHER_TYPES = java.util.Set.of("embedding", "rerank", "image", "audio",
            "video", "flexible");

    void list(Context ctx) {
        if (OTHER_TYPES.contains(ctx.pathParam("model_type").toLowerCase(java.util.Locale.ROOT))) {
            Json.send(ctx, List.of());
            return;
        }
        requireLlm(ctx);
        boolean detailed = "true".equalsIgnoreCase(ctx.queryParam("detailed"));
        List<Map<String, Object>> families = catalog.families().stream()
                .map(family -> detailed ? flat(family) : summary(family)).toList();
        Json.send(ctx, families);
    }

    void get(Context ctx) {
        requireLlm(ctx);
        String name = ctx.pathParam("model_name");
        ModelFamily family = catalog.find(name)
                .orElseThrow(() -> ApiError.badRequest("Model family not found: " + name));
        Json.send(ctx, flat(family));
    }

    void register(Context ctx) {
        requireLlm(ctx);
        ObjectNode body = Json.body(ctx);
        JsonNode model = body.get("model");
        if (model == null || model.isNull()) {
            throw ApiError.badRequest("model is required: the family's JSON, as a string");
        }
        String json = model.isTextual() ? model.asText() : Json.write(model);
        catalog.register(XinferenceFamilyJson.parse(json));
        Json.send(ctx, null);
    }

    void unregister(Context ctx) {
        requireLlm(ctx);
        catalog.unregister(ctx.pathParam("model_name"));
        Json.send(ctx, null);
    }

    private static Map<String, Object> summary(ModelFamily family) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("model_name", family.name());
        summary.put("is_builtin", family.builtin());
        return summary;
    }

    private static Map<String, Object> flat(ModelFamily family) {
        Map<String, Object> flat = new LinkedHashMap<>(XinferenceFamilyJson.toFlat(family));
        flat.put("is_builtin", family.builtin());
        return flat;
    }

    private static void requireLlm(Context ctx) {
        String type = ctx.pathParam("model_type");
        if (!type.equalsIgnoreCase("LLM")) {
            throw ApiError.badRequest("Only LLM registrations are supported, got model type " + type);
        }
    }
}
