package io.jinference.api.process;

import org.osgi.annotation.versioning.ProviderType;

/** Starts supervised child processes; the host implements it and lends it to engines through the engine context. */
@ProviderType
public interface ProcessLauncher {

    /**
     * Starts a child and returns at once (the child is {@link ManagedProcess.State#STARTING}); call
     * {@link ManagedProcess#awaitReady()} to wait for it to serve.
     *
     * @throws io.jinference.api.EngineException {@code LOAD_FAILED} when the program cannot be started
     */
    ManagedProcess start(ProcessSpec spec);
}
