package io.jinference.api;

import java.util.List;
import java.util.Map;

/**
 * Generation settings; a null field means "the engine's default".
 *
 * @param presencePenalty OpenAI's {@code presence_penalty} (-2 to 2)
 * @param frequencyPenalty OpenAI's {@code frequency_penalty} (-2 to 2)
 * @param logitBias OpenAI's {@code logit_bias}: token id to a bias (-100 to 100) added to its logit; empty for none
 * @param extra any other request keys, passed through for engines that understand them
 */
public record SamplingParams(Integer maxTokens, Double temperature, Double topP, Integer topK, Long seed,
        List<String> stop, Double repetitionPenalty, Double presencePenalty, Double frequencyPenalty,
        Map<Integer, Double> logitBias, Map<String, Object> extra) {

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        logitBias = logitBias == null ? Map.of() : Map.copyOf(logitBias);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public SamplingParams(Integer maxTokens, Double temperature, Double topP, Integer topK, Long seed,
            List<String> stop, Double repetitionPenalty, Map<String, Object> extra) {
        this(maxTokens, temperature, topP, topK, seed, stop, repetitionPenalty, null, null, Map.of(), extra);
    }

    public static SamplingParams defaults() {
        return new SamplingParams(null, null, null, null, null, List.of(), null, Map.of());
    }

    /** The same settings with another seed (each of several choices samples with its own). */
    public SamplingParams withSeed(Long newSeed) {
        return new SamplingParams(maxTokens, temperature, topP, topK, newSeed, stop, repetitionPenalty,
                presencePenalty, frequencyPenalty, logitBias, extra);
    }
}
