package io.jinference.engine.vllm;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineNamespace;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LoopbackPorts;
import io.jinference.engine.support.ManagedServer;
import io.jinference.engine.support.PythonRuntime;
import java.net.URI;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** vLLM as a managed server: one {@code vllm serve} process per model, proxied over loopback. */
@Component(service = InferenceEngine.class, property = EngineNamespace.SERVICE_ENGINE + "=vLLM")
public final class VllmEngine implements InferenceEngine {

    @Override
    public String name() {
        return "vLLM";
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        return VllmProbe.LOOKUP.probe(VllmProbe::judge);
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        PythonRuntime python = VllmProbe.LOOKUP.require(VllmProbe::judge);
        int port = LoopbackPorts.free();
        ProcessSpec spec = VllmCommand.build(request, python.python(), port, context.workDir());
        return ManagedServer.launch(context, spec, URI.create("http://127.0.0.1:" + port), request.modelUid(),
                Map.of("engine", name(), "runtime", probe(context.host()).runtime(), "command", spec.command()));
    }
}
