package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelManager;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
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
        Observed.of(ctx).model(model);
        RunningModel running = models.ready(model);
        try (ClientConnection client = ClientConnection.watch(ctx)) {
            if (OpenAiPassThrough.forward(ctx, running, "/v1/embeddings", body, model, client)) {
                return;
            }
        }
        List<String> inputs = Json.textOrTexts(body, "input");
        if (inputs.isEmpty()) {
            throw ApiError.badRequest("input must be a non-empty string or list of strings");
        }
        String encoding = Json.text(body, "encoding_format");
        // The openai Python SDK asks for base64 unless told otherwise: little-endian float32s, base64-encoded.
        boolean base64 = "base64".equals(encoding);
        if (encoding != null && !base64 && !encoding.equals("float")) {
            throw ApiError.badRequest("encoding_format must be float or base64");
        }
        Embeddings embeddings = running.embed(new EmbeddingRequest(inputs));
        List<Map<String, Object>> data = new ArrayList<>();
        for (int i = 0; i < embeddings.vectors().size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("index", i);
            item.put("object", "embedding");
            float[] vector = embeddings.vectors().get(i);
            item.put("embedding", base64 ? base64(vector) : vector);
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

    private static String base64(float[] vector) {
        ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(vector);
        return Base64.getEncoder().encodeToString(bytes.array());
    }
}
