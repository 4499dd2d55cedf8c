package io.jinference.runtime;

import java.util.Map;

/**
 * What a client asked to launch. Nulls mean "not given": the selector fills the engine, format, size and
 * quantization, the manager the UID.
 *
 * @param engineVersion an exact engine version or an OSGi version range; without it the highest matching wins
 * @param relaunchOnUpdate whether the model is relaunched when its engine bundle starts again after an update
 * @param options every other launch key, passed to the engine as is (n_ctx, n_parallel, seed, …)
 */
public record LaunchSpec(String modelName, String engine, String engineVersion, String format, String size,
        String quantization, String modelUid, String modelPath, boolean relaunchOnUpdate,
        Map<String, Object> options) {

    public LaunchSpec {
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The same launch, under this UID and pinned to this engine (so that a relaunch stays on its engine). */
    LaunchSpec relaunchAs(String uid, String chosenEngine) {
        return new LaunchSpec(modelName, chosenEngine, engineVersion, format, size, quantization, uid, modelPath,
                relaunchOnUpdate, options);
    }
}
