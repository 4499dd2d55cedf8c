package io.jinference.engine.transformers.python;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
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
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Hugging Face transformers through its own Python: one managed server process per model (the bundle's
 * {@code openai_server.py}), supervised (readiness on {@code /health}, restart with backoff, logs) and proxied over
 * loopback like the vLLM engine's servers. It runs every architecture of the installed transformers'
 * {@code AutoModelForCausalLM}, with the checkpoint's own chat template.
 */
@Component(service = InferenceEngine.class, property = EngineNamespace.SERVICE_ENGINE + "=Transformers")
public final class PythonTransformersEngine implements InferenceEngine {
    static final String NAME = "Transformers";
    static final String BACKEND = "python";
    static final String SCRIPT = "io/jinference/engine/transformers/python/openai_server.py";

    /** Asks the Python for its architectures once, in the background, so that the first explanation is quick. */
    @Activate
    void warmUp() {
        CompletableFuture.runAsync(() -> probe(null));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        return PythonTransformersProbe.LOOKUP.probe(PythonTransformersProbe::judge);
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        Object pinned = request.options().get("model_backend");
        if (pinned != null && !BACKEND.equalsIgnoreCase(pinned.toString().trim())) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The launch pins Transformers' '" + pinned
                    + "' backend (model_backend), but the Python backend (python) was asked to load it: the pin was"
                    + " not honoured, so nothing is loaded (GET /v1/engines/{model}/explain?backend=" + pinned + ")");
        }
        PythonRuntime python = PythonTransformersProbe.LOOKUP.require(PythonTransformersProbe::judge);
        ProbeResult probe = probe(context.host());
        CheckpointFolder checkpoint = CheckpointFolder.read(request.modelPath());
        List<String> architectures = probe.extraCapabilities().getOrDefault("architectures", List.of());
        if (checkpoint.architecture() != null && !architectures.contains(checkpoint.architecture())) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "MODEL_UNSUPPORTED: " + checkpoint.folder()
                    + " is a " + checkpoint.architecture() + ", which AutoModelForCausalLM of " + probe.runtime()
                    + " does not list");
        }
        Path script = writeResource(context.workDir(), SCRIPT, "openai_server.py");
        Path template = checkpoint.hasChatTemplate() || request.family() == null
                || request.family().chatTemplate() == null ? null
                : writeText(context.workDir().resolve("chat_template.jinja"), request.family().chatTemplate());
        int port = LoopbackPorts.free();
        ProcessSpec spec = TransformersServerCommand.build(request, python.python(), script, port, context.workDir(),
                template);
        return ManagedServer.launch(context, spec, URI.create("http://127.0.0.1:" + port), request.modelUid(),
                describe(request, probe, checkpoint, template, spec));
    }

    private static Map<String, Object> describe(LoadRequest request, ProbeResult probe, CheckpointFolder checkpoint,
            Path template, ProcessSpec spec) {
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("engine", NAME);
        description.put("backend", BACKEND);
        description.put("runtime", probe.runtime());
        description.put("checkpoint", checkpoint.folder().toAbsolutePath().toString());
        description.put("architecture", checkpoint.architecture() == null ? "unnamed in config.json"
                : checkpoint.architecture());
        description.put("dtype", TransformersServerCommand.dtype(request));
        description.put("device", request.gpuIndexes().isEmpty() ? "cpu" : "cuda " + request.gpuIndexes()
                + " (device_map=auto)");
        description.put("chat_template", template == null ? "the checkpoint's own" : "the family's (" + template
                + "): the checkpoint has none");
        description.put("command", spec.command());
        description.put("environment", spec.environment());
        return description;
    }

    private static Path writeResource(Path folder, String resource, String name) {
        try (InputStream in = PythonTransformersEngine.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new EngineException(EngineException.Kind.LOAD_FAILED, "The bundle lacks " + resource);
            }
            Files.createDirectories(folder);
            Path target = folder.resolve(name);
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot write the server script into " + folder
                    + ": " + e.getMessage());
        }
    }

    private static Path writeText(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot write " + file + ": " + e.getMessage());
        }
    }
}
