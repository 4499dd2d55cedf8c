package io.jinference.engine.llamacpp.server;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.EngineNamespace;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LoopbackPorts;
import io.jinference.engine.support.ManagedServer;
import io.jinference.engine.support.llamacpp.LlamaServerLocator;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * llama.cpp through its own {@code llama-server}: one managed process per GGUF model, supervised (readiness on
 * {@code /health}, restart with backoff, logs) and proxied over loopback like the vLLM engine's servers.
 */
@Component(service = InferenceEngine.class, property = EngineNamespace.SERVICE_ENGINE + "=llama.cpp")
public final class LlamaServerEngine implements InferenceEngine {
    static final String NAME = "llama.cpp";
    static final String BACKEND = "server";

    @Override
    public String name() {
        return NAME;
    }

    /** Available when a llama-server is found; a GPU build adds its device kinds to the capability. */
    @Override
    public ProbeResult probe(HostProfile host) {
        LlamaServerLocator.Lookup lookup = LlamaServerLocator.locate();
        if (lookup.runtime() == null) {
            return ProbeResult.missing(lookup.problem());
        }
        LlamaServerRuntime runtime = lookup.runtime();
        List<String> gpuDevices = runtime.devices().stream().filter(device -> !device.equals("cpu")).toList();
        if (gpuDevices.isEmpty()) {
            return ProbeResult.available(runtime.describe());
        }
        return ProbeResult.available(runtime.describe(), Map.of("devices", gpuDevices), "llama-server was built for "
                + runtime.backend() + ", so llama.cpp also runs on " + String.join(", ", gpuDevices));
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        Object pinned = request.options().get("model_backend");
        if (pinned != null && !BACKEND.equalsIgnoreCase(pinned.toString().trim())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The launch pins llama.cpp's '" + pinned
                    + "' backend (model_backend), but the llama-server backend (server) was asked to load it: the pin"
                    + " was not honoured, so nothing is loaded (GET /v1/engines/{model}/explain?backend=" + pinned + ")");
        }
        LlamaServerLocator.Lookup lookup = LlamaServerLocator.locate();
        LlamaServerRuntime runtime = lookup.found()
                .orElseThrow(() -> new EngineException(EngineException.Kind.LOAD_FAILED, lookup.problem()));
        GgufFacts gguf = readGguf(request.modelPath());
        if (!runtime.supports(gguf.architecture())) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "MODEL_UNSUPPORTED: the GGUF architecture '"
                    + gguf.architecture() + "' of " + request.modelPath() + " is not one llama.cpp b"
                    + runtime.build() + " can load (" + runtime.binary() + ")");
        }
        ChatTemplateGuard.requireFinishes(gguf, context);
        int port = LoopbackPorts.free();
        ProcessSpec spec = LlamaServerCommand.build(request, runtime, gguf, port, context.workDir());
        // llama-server announces keep-alive but closes the connection after each streamed answer.
        OpenAiUpstream upstream = new OpenAiUpstream(URI.create("http://127.0.0.1:" + port), request.modelUid(), true);
        return ManagedServer.launch(context, spec, upstream, describe(request, runtime, gguf, spec));
    }

    private static GgufFacts readGguf(Path file) {
        if (file == null) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "No model file was given (model_path, or the model_uri of a custom registration)");
        }
        if (!Files.isRegularFile(file)) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED,
                    "The model file " + file + " does not exist or is not a file");
        }
        try {
            return GgufFacts.read(file);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Not a valid GGUF model: " + file + ": "
                    + e.getMessage());
        }
    }

    private static Map<String, Object> describe(LoadRequest request, LlamaServerRuntime runtime, GgufFacts gguf,
            ProcessSpec spec) {
        ServerLaunchOptions options = ServerLaunchOptions.from(request, gguf);
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("engine", NAME);
        description.put("backend", BACKEND);
        description.put("runtime", runtime.describe());
        description.put("llama_cpp_build", runtime.build());
        description.put("model_file", request.modelPath().toAbsolutePath().toString());
        description.put("gguf_architecture", gguf.architecture());
        description.put("n_ctx", options.contextPerSlot());
        description.put("n_ctx_total", options.totalContext());
        description.put("n_parallel", options.parallelSlots());
        description.put("embedding", options.embedding());
        description.put("llama_cpp_backend", runtime.backend());
        description.put("n_gpu_layers", request.options().get("n_gpu_layers") != null
                ? request.options().get("n_gpu_layers") : "llama.cpp's own fit to the free GPU memory");
        description.put("command", spec.command());
        description.put("environment", spec.environment());
        return description;
    }
}
