package io.jinference.engine.transformers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jinference.api.SamplingParams;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The checkpoint's {@code generation_config.json}: its sampling defaults (used when a request leaves a value out)
 * and its end-of-sequence ids.
 */
record GenerationDefaults(boolean doSample, double temperature, double topP, int topK, double repetitionPenalty,
        Set<Long> eosTokenIds) {

    static GenerationDefaults parse(JsonObject generation, JsonObject config) {
        Set<Long> eos = new LinkedHashSet<>();
        addIds(eos, generation.get("eos_token_id"));
        if (eos.isEmpty()) {
            addIds(eos, config.get("eos_token_id"));
        }
        return new GenerationDefaults(ModelConfig.optionalBoolean(generation, "do_sample", false),
                ModelConfig.optionalDouble(generation, "temperature", 1.0),
                ModelConfig.optionalDouble(generation, "top_p", 1.0),
                ModelConfig.optionalInt(generation, "top_k", 0),
                ModelConfig.optionalDouble(generation, "repetition_penalty", 1.0), Set.copyOf(eos));
    }

    /**
     * The sampler for one request. A request temperature of 0 means greedy; without one, the checkpoint decides
     * (greedy unless its generation config says {@code do_sample}).
     */
    Sampler sampler(SamplingParams params) {
        double t = params.temperature() != null ? params.temperature() : doSample ? temperature : 0;
        double p = params.topP() != null ? params.topP() : topP;
        int k = params.topK() != null ? params.topK() : topK;
        double penalty = params.repetitionPenalty() != null ? params.repetitionPenalty() : repetitionPenalty;
        Sampler.Penalties penalties = new Sampler.Penalties(orZero(params.presencePenalty()),
                orZero(params.frequencyPenalty()), params.logitBias());
        return new Sampler(t, p, k, penalty, penalties, params.seed());
    }

    private static double orZero(Double value) {
        return value == null ? 0 : value;
    }

    private static void addIds(Set<Long> ids, JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return;
        }
        if (value.isJsonArray()) {
            value.getAsJsonArray().forEach(v -> ids.add(v.getAsLong()));
        } else if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
            ids.add(value.getAsLong());
        }
    }
}
