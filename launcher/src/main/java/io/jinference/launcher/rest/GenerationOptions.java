package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ResponseFormat;
import io.jinference.api.SamplingParams;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an OpenAI generation request that every generating endpoint shares: the model UID, streaming, the
 * number of choices, the sampling parameters and the response format. Unknown keys go to the engine in
 * {@link SamplingParams#extra()}.
 *
 * @param n how many choices to answer with (OpenAI's {@code n})
 */
record GenerationOptions(String model, boolean stream, boolean includeUsage, int n, SamplingParams sampling,
        ResponseFormat responseFormat) {
    /** More choices than this per request are refused: each one is a whole generation. */
    static final int MAX_CHOICES = 16;
    private static final Set<String> SHARED_KEYS = Set.of("model", "stream", "stream_options", "max_tokens",
            "max_completion_tokens", "temperature", "top_p", "top_k", "seed", "stop", "repetition_penalty", "n",
            "presence_penalty", "frequency_penalty", "logit_bias", "response_format");

    /** Parses the shared keys; {@code ownKeys} are the endpoint's own (messages, prompt), kept out of extra. */
    static GenerationOptions parse(JsonNode body, Set<String> ownKeys) {
        String model = Json.requiredText(body, "model");
        Integer n = Json.integer(body, "n");
        if (n != null && (n < 1 || n > MAX_CHOICES)) {
            throw ApiError.badParameter("n", "n must be between 1 and " + MAX_CHOICES + ", got " + n);
        }
        Integer maxTokens = Json.integer(body, "max_tokens");
        if (maxTokens == null) {
            maxTokens = Json.integer(body, "max_completion_tokens");
        }
        if (maxTokens != null && maxTokens < 1) {
            throw ApiError.badParameter("max_tokens", "max_tokens must be at least 1");
        }
        Double temperature = Json.number(body, "temperature");
        if (temperature != null && temperature < 0) {
            throw ApiError.badParameter("temperature", "temperature must not be negative");
        }
        Double topP = Json.number(body, "top_p");
        if (topP != null && (topP <= 0 || topP > 1)) {
            throw ApiError.badParameter("top_p", "top_p must be in (0, 1]");
        }
        List<String> stop = Json.textOrTexts(body, "stop");
        JsonNode streamOptions = body.get("stream_options");
        if (streamOptions != null && !streamOptions.isNull() && !streamOptions.isObject()) {
            throw ApiError.badParameter("stream_options", "stream_options must be an object");
        }
        boolean includeUsage = streamOptions != null && streamOptions.isObject()
                && Json.bool(streamOptions, "include_usage", false);
        Set<String> known = new HashSet<>(SHARED_KEYS);
        known.addAll(ownKeys);
        SamplingParams sampling = new SamplingParams(maxTokens, temperature, topP, Json.integer(body, "top_k"),
                Json.longInteger(body, "seed"), stop, Json.number(body, "repetition_penalty"),
                penalty(body, "presence_penalty"), penalty(body, "frequency_penalty"), logitBias(body),
                Json.rest(body, known));
        return new GenerationOptions(model, Json.bool(body, "stream", false), includeUsage, n == null ? 1 : n,
                sampling, ResponseFormats.parse(body.get("response_format")));
    }

    private static Double penalty(JsonNode body, String field) {
        Double value = Json.number(body, field);
        if (value != null && (value < -2 || value > 2)) {
            throw ApiError.badParameter(field, field + " must be between -2 and 2, got " + value);
        }
        return value;
    }

    /** OpenAI's {@code logit_bias}: token ids (as JSON object keys) to a bias between -100 and 100. */
    private static Map<Integer, Double> logitBias(JsonNode body) {
        JsonNode bias = body.get("logit_bias");
        if (bias == null || bias.isNull()) {
            return Map.of();
        }
        if (!bias.isObject()) {
            throw ApiError.badParameter("logit_bias", "logit_bias must be an object of token ids to biases");
        }
        Map<Integer, Double> biases = new HashMap<>();
        for (Map.Entry<String, JsonNode> entry : bias.properties()) {
            int token;
            try {
                token = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw ApiError.badParameter("logit_bias", "logit_bias keys must be token ids, got '"
                        + entry.getKey() + "'");
            }
            JsonNode value = entry.getValue();
            if (token < 0 || !value.isNumber() || value.doubleValue() < -100 || value.doubleValue() > 100) {
                throw ApiError.badParameter("logit_bias", "logit_bias maps token ids to numbers between -100 and"
                        + " 100; token " + entry.getKey() + " has " + value);
            }
            biases.put(token, value.doubleValue());
        }
        return biases;
    }
}
