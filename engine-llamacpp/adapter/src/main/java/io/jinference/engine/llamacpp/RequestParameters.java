package io.jinference.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import io.jinference.api.EngineException;
import io.jinference.api.SamplingParams;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps a request's {@link SamplingParams} onto java-llama.cpp's {@link InferenceParameters}. */
final class RequestParameters {

    private RequestParameters() {
    }

    /**
     * @param maxTokens the completion budget already fitted to the context
     * @param familyStop the model family's stop strings, added to the request's own
     * @param defaultSeed the launch option {@code seed}, used when the request gives none; may be null
     */
    static InferenceParameters of(String prompt, SamplingParams sampling, int maxTokens, List<String> familyStop,
            Long defaultSeed) {
        return of(prompt, sampling, maxTokens, familyStop, defaultSeed, null);
    }

    /** @param grammar a GBNF grammar the answer must follow (structured output), or null */
    static InferenceParameters of(String prompt, SamplingParams sampling, int maxTokens, List<String> familyStop,
            Long defaultSeed, String grammar) {
        InferenceParameters parameters = new InferenceParameters(prompt).setNPredict(maxTokens);
        if (grammar != null) {
            parameters.setGrammar(grammar);
        }
        if (sampling.presencePenalty() != null) {
            parameters.setPresencePenalty(sampling.presencePenalty().floatValue());
        }
        if (sampling.frequencyPenalty() != null) {
            parameters.setFrequencyPenalty(sampling.frequencyPenalty().floatValue());
        }
        if (!sampling.logitBias().isEmpty()) {
            Map<Integer, Float> bias = new HashMap<>();
            sampling.logitBias().forEach((token, value) -> bias.put(token, value.floatValue()));
            parameters.setTokenIdBias(bias);
        }
        if (sampling.temperature() != null) {
            parameters.setTemperature(nonNegative("temperature", sampling.temperature()).floatValue());
        }
        if (sampling.topP() != null) {
            double topP = sampling.topP();
            if (topP <= 0 || topP > 1) {
                throw invalid("top_p must be in (0, 1], got " + topP);
            }
            parameters.setTopP((float) topP);
        }
        if (sampling.topK() != null) {
            // 0 or less means "no top-k cut" to llama.cpp, as -1 does to vLLM and OpenAI-style clients
            parameters.setTopK(Math.max(sampling.topK(), 0));
        }
        if (sampling.repetitionPenalty() != null) {
            parameters.setRepeatPenalty(nonNegative("repetition_penalty", sampling.repetitionPenalty()).floatValue());
        }
        Long seed = sampling.seed() != null ? sampling.seed() : defaultSeed;
        if (seed != null) {
            // llama.cpp's seed is a uint32; keep the low 32 bits of larger seeds
            parameters.setSeed((int) seed.longValue());
        }
        if (ignoreEos(sampling)) {
            parameters.setIgnoreEos(true);
        }
        Set<String> stop = new LinkedHashSet<>(sampling.stop());
        stop.addAll(familyStop);
        stop.removeIf(String::isEmpty);
        if (!stop.isEmpty()) {
            parameters.setStopStrings(stop.toArray(String[]::new));
        }
        return parameters;
    }

    /**
     * vLLM's and llama-server's {@code ignore_eos}: generate until {@code max_tokens} even past the end-of-sequence
     * token. The one request key outside {@link SamplingParams}'s own that this engine reads; it declares it among
     * its capability's abilities so that the host lets it through.
     */
    private static boolean ignoreEos(SamplingParams sampling) {
        Object value = sampling.extra().get("ignore_eos");
        if (value != null && !(value instanceof Boolean)) {
            throw invalid("ignore_eos must be true or false, got " + value);
        }
        return Boolean.TRUE.equals(value);
    }

    private static Double nonNegative(String name, Double value) {
        if (value < 0 || value.isNaN()) {
            throw invalid(name + " must not be negative, got " + value);
        }
        return value;
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }
}
