package io.jinference.api;

import java.util.List;
import java.util.Map;

/**
 * Generation settings; a null field means "the engine's default".
 *
 * @param extra any other request keys, passed through for engines that understand them
 */
public record SamplingParams(Integer maxTokens, Double temperature, Double topP, Integer topK, Long seed,
        List<String> stop, Double repetitionPenalty, Map<String, Object> extra) {

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public static SamplingParams defaults() {
        return new SamplingParams(null, null, null, null, null, List.of(), null, Map.of());
    }
}
