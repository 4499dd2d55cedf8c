package io.jinference.engine.sglang;

import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LaunchFlags;
import io.jinference.engine.support.ServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Builds the {@code python -m sglang.launch_server} command for one model (pure). */
final class SglangCommand {
    static final Set<String> HANDLED = Set.of("gpu_memory_utilization", "mem_fraction_static", "max_model_len",
            "context_length", "dtype", "tp_size");

    private SglangCommand() {
    }

    static ProcessSpec build(LoadRequest request, Path python, int port, Path workDir) {
        List<String> argv = new ArrayList<>(List.of(python.toString(), "-m", "sglang.launch_server", "--model-path",
                request.modelPath().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--served-model-name", request.modelUid()));
        Map<String, String> env = new LinkedHashMap<>();
        List<Integer> gpus = request.gpuIndexes();
        if (!gpus.isEmpty()) {
            argv.addAll(List.of("--tp-size", Integer.toString(request.intOption("tp_size", gpus.size()))));
            env.put("CUDA_VISIBLE_DEVICES", ServerOptions.joinIndexes(gpus));
        }
        // Xinference's vLLM-style keys are accepted too, so one launch body works for both engines.
        Object memory = request.options().getOrDefault("mem_fraction_static",
                request.options().get("gpu_memory_utilization"));
        if (memory != null) {
            argv.addAll(List.of("--mem-fraction-static", String.valueOf(memory)));
        }
        Object context = request.options().getOrDefault("context_length", request.options().get("max_model_len"));
        if (context != null) {
            argv.addAll(List.of("--context-length", String.valueOf(context)));
        }
        ServerOptions.addIfPresent(argv, request, "dtype", "--dtype");
        quantization(request.spec().format()).ifPresent(method -> argv.addAll(List.of("--quantization", method)));
        argv.addAll(LaunchFlags.passThrough(request.options(), HANDLED));
        return new ProcessSpec(request.modelUid(), argv, env, workDir,
                URI.create("http://127.0.0.1:" + port + "/health"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
    }

    static Optional<String> quantization(String format) {
        return switch (format) {
            case "awq", "gptq", "fp8" -> Optional.of(format);
            default -> Optional.empty();
        };
    }
}
