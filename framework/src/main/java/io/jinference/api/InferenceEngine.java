package io.jinference.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The service every engine bundle registers (with the service property {@link EngineNamespace#SERVICE_ENGINE}).
 * What the engine can run in principle is declared in its manifest; this service answers what the manifest cannot:
 * whether the runtime works on this host, and loading a model.
 */
@ConsumerType
public interface InferenceEngine {
    /** The engine name, equal to the {@code engine} attribute of the bundle's capability. */
    String name();

    /** Checks the runtime (native library loads, Python package importable, devices present). Must be cheap to repeat. */
    ProbeResult probe(HostProfile host);

    /**
     * Loads a model and returns it ready to serve.
     *
     * @throws EngineException {@link EngineException.Kind#LOAD_FAILED} with a clear message when the files are
     *         missing, corrupt or of an unsupported architecture
     */
    RunningModel load(LoadRequest request, EngineContext context);
}
