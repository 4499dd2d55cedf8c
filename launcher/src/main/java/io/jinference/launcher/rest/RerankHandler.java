package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /v1/rerank} in Xinference's (Cohere's) shape: {@code {model, query, documents, top_n, return_documents,
 * return_len}} answered by {@code {id, results: [{index, relevance_score, document}], meta}}, the results ordered by
 * relevance. The model's own server ranks (llama-server's {@code /v1/rerank}, launched with {@code reranking=true});
 * this handler checks the request, forwards it and reshapes the answer. What it cannot honour is a 400 naming it:
 * multimodal queries or documents, {@code max_chunks_per_doc} (documents are never chunked), extra {@code kwargs}.
 */
final class RerankHandler {
    static final String ABILITY = "rerank";
    private static final Set<String> KEYS = Set.of("model", "query", "documents", "top_n", "return_documents",
            "return_len", "max_chunks_per_doc", "kwargs");
    private final ModelManager models;

    RerankHandler(ModelManager models) {
        this.models = models;
    }

    void rerank(Context ctx) {
        ObjectNode body = Json.body(ctx);
        RerankRequest request = RerankRequest.parse(body);
        Observed.of(ctx).model(request.model());
        RunningModel model = models.ready(request.model());
        ModelInstance instance = models.get(request.model());
        EngineAbilities.require(instance, ABILITY, "model");
        if (!instance.reranks()) {
            throw ApiError.badParameter("model", "Model " + instance.uid() + " was not launched to rerank: launch it"
                    + " with model_type rerank (or the launch option reranking=true), with a reranker GGUF");
        }
        JsonNode answer;
        try (ClientConnection client = ClientConnection.watch(ctx)) {
            answer = OpenAiPassThrough.answer(Observed.of(ctx), model, "/v1/rerank", request.upstreamBody(),
                    request.model(), client);
            if (answer == null) {
                throw ApiError.badParameter("model", "Model " + instance.uid() + " is served in this process by "
                        + instance.engineLabel() + ", which has no reranking");
            }
            if (answer.isMissingNode() || client.gone()) {
                return;
            }
        }
        Json.send(ctx, request.answer(answer));
    }

    /** A checked rerank request. */
    record RerankRequest(String model, String query, List<String> documents, Integer topN, boolean returnDocuments,
            boolean returnLen) {
        static RerankRequest parse(ObjectNode body) {
            Set<String> unknown = Json.rest(body, KEYS).keySet();
            if (!unknown.isEmpty()) {
                throw ApiError.badParameter(unknown.iterator().next(), "Unknown rerank parameters: "
                        + String.join(", ", unknown) + " (known: " + String.join(", ", KEYS.stream().sorted().toList())
                        + ")");
            }
            String model = Json.requiredText(body, "model");
            if (body.path("query").isObject()) {
                throw ApiError.badParameter("query", "query must be a string: multimodal reranking is not supported");
            }
            String query = Json.requiredText(body, "query");
            JsonNode documents = body.get("documents");
            if (documents == null || !documents.isArray() || documents.isEmpty()) {
                throw ApiError.badParameter("documents", "documents must be a non-empty list of strings");
            }
            for (JsonNode document : documents) {
                if (!document.isTextual()) {
                    throw ApiError.badParameter("documents", "documents must be strings: multimodal reranking is"
                            + " not supported");
                }
            }
            Integer topN = Json.integer(body, "top_n");
            if (topN != null && topN < 1) {
                throw ApiError.badParameter("top_n", "top_n must be at least 1, got " + topN);
            }
            if (Json.integer(body, "max_chunks_per_doc") != null) {
                throw ApiError.badParameter("max_chunks_per_doc", "max_chunks_per_doc is not supported: documents"
                        + " are ranked whole, never chunked");
            }
            refuseKwargs(body.get("kwargs"));
            return new RerankRequest(model, query, Json.textOrTexts(body, "documents"), topN,
                    Json.bool(body, "return_documents", false), Json.bool(body, "return_len", false));
        }

        /**
         * xinference-client sends its extra keyword arguments twice: as {@code kwargs}, a JSON string ({@code "{}"}
         * when there are none), and merged into the body, where they are refused as unknown keys.
         */
        private static void refuseKwargs(JsonNode kwargs) {
            if (kwargs == null || kwargs.isNull()) {
                return;
            }
            JsonNode parsed = kwargs;
            if (kwargs.isTextual()) {
                try {
                    parsed = Json.MAPPER.readTree(kwargs.asText());
                } catch (java.io.IOException notJson) {
                    throw ApiError.badParameter("kwargs", "kwargs must be a JSON object");
                }
            }
            if (parsed == null || !parsed.isObject()) {
                throw ApiError.badParameter("kwargs", "kwargs must be a JSON object");
            }
            if (!parsed.isEmpty()) {
                throw ApiError.badParameter("kwargs", "Unknown rerank parameters in kwargs: "
                        + String.join(", ", List.copyOf(Json.rest(parsed, Set.of()).keySet())));
            }
        }

        /** What the model's server is asked: Jina's shape, which llama-server answers. */
        ObjectNode upstreamBody() {
            ObjectNode upstream = Json.MAPPER.createObjectNode().put("model", model).put("query", query);
            ArrayNode texts = upstream.putArray("documents");
            documents.forEach(texts::add);
            if (topN != null) {
                upstream.put("top_n", topN);
            }
            return upstream;
        }

        /**
         * Xinference's answer from the server's: the results in the server's order (by relevance, at most
         * {@code top_n}), with the document's text when asked for, and the prompt tokens when {@code return_len}.
         */
        ObjectNode answer(JsonNode upstream) {
            ObjectNode answer = Json.MAPPER.createObjectNode().put("id", UUID.randomUUID().toString());
            ArrayNode results = answer.putArray("results");
            for (JsonNode result : upstream.path("results")) {
                int index = result.path("index").asInt(-1);
                if (index < 0 || index >= documents.size() || !result.path("relevance_score").isNumber()) {
                    throw new ApiError(502, "The engine server answered a rerank result without a valid index and"
                            + " relevance_score: " + result);
                }
                ObjectNode item = results.addObject().put("index", index);
                item.set("relevance_score", result.path("relevance_score"));
                if (returnDocuments) {
                    item.putObject("document").put("text", documents.get(index));
                } else {
                    item.putNull("document");
                }
            }
            ObjectNode meta = answer.putObject("meta");
            meta.putNull("api_version");
            meta.putNull("billed_units");
            if (returnLen) {
                meta.putObject("tokens").put("input_tokens", upstream.path("usage").path("prompt_tokens").asInt())
                        .put("output_tokens", 0);
            } else {
                meta.putNull("tokens");
            }
            meta.putNull("warnings");
            return answer;
        }
    }
}
