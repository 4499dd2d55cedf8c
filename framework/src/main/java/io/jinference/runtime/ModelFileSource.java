package io.jinference.runtime;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a launch's model files come from. {@link ModelFiles} finds local ones only; the hub module's implementation
 * also downloads what is missing. Preparing is quick and synchronous, so that a request that cannot be served (a
 * missing {@code model_path}, a repository the hub does not have, a cold cache in offline mode) is refused before
 * the launch is accepted; fetching may take long and runs where the model loads.
 */
public interface ModelFileSource {

    /**
     * Checks that the files of this spec can be had and says how.
     *
     * @param modelPath the launch's {@code model_path}, or null
     * @param downloadHub the launch's {@code download_hub} ({@code huggingface}, {@code modelscope}), or null for
     *        the configured default
     * @throws LaunchException when they cannot be had, with the reason
     */
    PreparedFiles prepare(ModelFamily family, ModelSpec spec, String quantization, String modelPath,
            String downloadHub);

    /** The files of one launch, local or still to be fetched. */
    interface PreparedFiles {
        /**
         * Makes the files local and returns the file or folder the engine loads. A download stops, keeping what it
         * has for a later resume, once the instance starts terminating.
         */
        Path fetch(ModelInstance instance);

        /** What the model's description records about the files' origin (hub, repository, commit); may be empty. */
        Map<String, Object> provenance();

        /** Files that are already here. */
        static PreparedFiles local(Path path) {
            return new PreparedFiles() {
                @Override
                public Path fetch(ModelInstance instance) {
                    return path;
                }

                @Override
                public Map<String, Object> provenance() {
                    return Map.of();
                }
            };
        }
    }
}
