package io.jinference.registry.standin;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

/**
 * Stands in for engine runtimes that cannot exist on the test machine (vLLM with CUDA, SGLang): its probe answers what
 * the bundle's {@code X-StandIn-*} headers say, so the registry's handling of every probe outcome runs against a real
 * service of a real bundle. It loads no models.
 */
final class StandInEngine implements InferenceEngine {
    private final String name;
    private final String probe;
    private final String runtime;
    private final String extraDevices;
    private final String note;

    StandInEngine(Dictionary<String, String> headers) {
        this.name = headers.get("X-StandIn-Engine");
        this.probe = headers.get("X-StandIn-Probe");
        this.runtime = headers.get("X-StandIn-Runtime");
        this.extraDevices = headers.get("X-StandIn-Extra-Devices");
        this.note = headers.get("X-StandIn-Note");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        switch (probe) {
            case "missing":
                return ProbeResult.missing(note);
            case "throw":
                throw new IllegalStateException(note);
            default:
                return extraDevices == null ? ProbeResult.available(runtime)
                        : ProbeResult.available(runtime, Map.of("devices", List.of(extraDevices.split(","))), note);
        }
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        throw new EngineException(EngineException.Kind.UNSUPPORTED, "The stand-in engine " + name + " only answers probes");
    }
}
