package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.SamplingParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The parts of an OpenAI generation request that every generating endpoint shares: the model UID, streaming and
 * the sampling parameters. Unknown keys go to the engine in {@link SamplingParams#extra()}.
 */
record GenerationOptions(String model, boolean stream, boolean includeUsage, SamplingParams sampling) {
    private static final Set<String> SHARED_KEYS = Set.of("model", "stream", "stream_options", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "top_k", "seed", "stop", "repetition_penalty", "n");

    /** Parses the shared keys; {@code ownKeys} are the endpoint's own (messages, prompt), kept out of extra. */
    static GenerationOptions parse(JsonNode body, Set<String> ownKeys) {
        String model = Json.requiredText(body, "model");
        Integer n = Json.integer(body, "n");
        if (n != null && n != 1) {
            throw ApiError.badRequest("n must be 1: one choice per request is supported");
        }
        Integer maxTokens = Json.integer(body, "max_tokens");
        if (maxTokens == null) {
            maxTokens = Json.integer(body, "max_completion_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.badRequest("max_tokens must be at least 1");
        }
        Double temperature = Json.number(body, "temperature");
        if (temperature != null && temperature < 0) {
            throw ApiError.badRequest("temperature must not be negative");
        }
        Double topP = Json.number(body, "top_p");
        if (topP != null && (topP <= 0 || topP > 1)) {
            throw ApiError.badRequest("top_p must be in (0, 1]");
        }
        Integer seed = Json.integer(body, "seed");
        List<String> stop = Json.textOrTexts(body, "stop");
        JsonNode streamOptions = body.get("stream_options");
        boolean includeUsage = streamOptions != null && streamOptions.isObject()
                && Json.bool(streamOptions, "include_usage", false);
        Set<String> known = new HashSet<>(SHARED_KEYS);
        known.addAll(ownKeys);
        SamplingParams sampling = new SamplingParams(maxTokens, temperature, topP, Json.integer(body, "top_k"),
                seed == null ? null : seed.longValue(), stop, Json.number(body, "repetition_penalty"),
                Json.rest(body, known));
        return new GenerationOptions(model, Json.bool(body, "stream", false), includeUsage, sampling);
    }
}
