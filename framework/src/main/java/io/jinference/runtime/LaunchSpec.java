package io.jinference.runtime;

import java.util.Map;

/**
 * What a client asked to launch. Nulls mean "not given": the selector fills the engine, format, size and
 * quantization, the manager the UID.
 *
 * @param options every other launch key, passed to the engine as is (n_ctx, n_parallel, seed, …)
 */
public record LaunchSpec(String modelName, String engine, String format, String size, String quantization,
        String modelUid, String modelPath, Map<String, Object> options) {

    public LaunchSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
    }
}
