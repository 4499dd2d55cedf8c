package io.jinference.engine.mlx;

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
import io.jinference.api.EngineException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/** MLX as a managed server: one {@code mlx_lm.server} process per model, proxied over loopback. */
@Component(service = InferenceEngine.class, property = EngineNamespace.SERVICE_ENGINE + "=MLX")
public final class MlxEngine implements InferenceEngine {

    @Override
    public String name() {
        return "MLX";
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        return MlxProbe.LOOKUP.probe((runtime, versions) -> MlxProbe.judge(host, runtime, versions));
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        HostProfile host = context.host();
        PythonRuntime python = MlxProbe.LOOKUP.require((runtime, versions) -> MlxProbe.judge(host, runtime, versions));
        int port = LoopbackPorts.free();
        ProcessSpec spec = MlxCommand.build(request, python.python(), port, context.workDir());
        try {
            Files.createDirectories(Path.of(spec.environment().get("HF_HUB_CACHE")));
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot create the model list folder for"
                    + " mlx_lm in " + context.workDir() + ": " + e.getMessage());
        }
        return ManagedServer.launch(context, spec, URI.create("http://127.0.0.1:" + port), MlxCommand.UPSTREAM_MODEL,
                Map.of("engine", name(), "runtime", probe(host).runtime(), "command", spec.command()));
    }
}
