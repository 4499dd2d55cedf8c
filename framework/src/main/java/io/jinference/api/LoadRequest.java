package io.jinference.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Everything an engine needs to load one model.
 *
 * @param modelUid the UID clients address the model by
 * @param family the model family (template, stop words, architectures)
 * @param spec the chosen spec
 * @param quantization the chosen quantization, in the spec's own spelling
 * @param modelPath the local model file (GGUF) or folder (HF checkpoint, MLX)
 * @param options every other launch key, passed through as the client sent it (n_ctx, n_parallel, seed, …)
 * @param gpuIndexes the GPUs assigned to this model; empty for CPU
 */
public record LoadRequest(String modelUid, ModelFamily family, ModelSpec spec, String quantization, Path modelPath,
        Map<String, Object> options, List<Integer> gpuIndexes) {

    public LoadRequest {
        options = options == null ? Map.of() : Map.copyOf(options);
        gpuIndexes = gpuIndexes == null ? List.of() : List.copyOf(gpuIndexes);
    }

    /** An integer option, accepting numbers and numeric strings; {@code fallback} when absent. */
    public int intOption(String key, int fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number number) {
            return number.intValue();
        }
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                    "Launch option " + key + " must be an integer, got '" + value + "'");
        }
    }

    /** A boolean option, accepting booleans and "true"/"false"; {@code fallback} when absent. */
    public boolean booleanOption(String key, boolean fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        return Boolean.parseBoolean(value.toString().trim());
    }
}
