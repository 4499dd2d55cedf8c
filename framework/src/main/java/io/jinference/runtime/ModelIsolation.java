package io.jinference.runtime;

import io.jinference.api.EngineContext;
import io.jinference.api.LoadRequest;
import io.jinference.api.RunningModel;
import org.osgi.framework.Bundle;

/**
 * Where the {@link ModelManager} runs an engine's models: in the server's own process, or out of it (a model host,
 * a child process of its own) for engines whose native code could take the whole server down with one bad model
 * file or request.
 */
public interface ModelIsolation {

    /** Every model in this process: what a model host itself uses, so that isolation never recurses. */
    ModelIsolation IN_PROCESS = new ModelIsolation() {
        @Override
        public boolean isolates(Bundle engineBundle) {
            return false;
        }

        @Override
        public RunningModel load(LoadRequest request, Bundle engineBundle, EngineContext context) {
            throw new IllegalStateException("In-process isolation loads nothing out of process");
        }
    };

    /** Whether models of the engine served by this bundle run out of the server's process. */
    boolean isolates(Bundle engineBundle);

    /**
     * Starts the model out of process through {@link EngineContext#processes()} and answers once it serves.
     *
     * @throws io.jinference.api.EngineException {@code LOAD_FAILED} with the child's last log lines when it could not
     *         load the model
     */
    RunningModel load(LoadRequest request, Bundle engineBundle, EngineContext context);
}
