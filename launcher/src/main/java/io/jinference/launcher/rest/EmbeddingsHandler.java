package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.runtime.ModelManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code POST /v1/embeddings}. */
final class EmbeddingsHandler {
    private final ModelManager models;

    EmbeddingsHandler(ModelManager models) {
        this.models = models;
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        String model = Json.requiredText(body, "model");
        List<String> inputs = Json.textOrTexts(body, "input");
        if (inputs.isEmpty()) {
            throw ApiError.badRequest("input must be a non-empty string or list of strings");
        }
        String encoding = Json.text(body, "encoding_format");
        if (encoding != null && !encoding.equals("float")) {
            throw ApiError.badRequest("encoding_format must be float");
        }
        Embeddings embeddings = models.ready(model).embed(new EmbeddingRequest(inputs));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < embeddings.vectors().size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            item.put("object", "embedding");
            item.put("embedding", embeddings.vectors().get(i));
            data.add(item);
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("object", "list");
        response.put("model", model);
        response.put("data", data);
        response.put("usage", Map.of("prompt_tokens", embeddings.promptTokens(),
                "total_tokens", embeddings.promptTokens()));
        Json.send(ctx, response);
    }
}
