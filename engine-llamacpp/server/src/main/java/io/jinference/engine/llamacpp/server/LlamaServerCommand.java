package io.jinference.engine.llamacpp.server;

import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LaunchFlags;
import io.jinference.engine.support.ServerOptions;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@code llama-server} command for one model: a pure function of the load request, the runtime, the GGUF's
 * facts and a port. The model's own chat template is applied by llama-server ({@code --jinja}); the served model name
 * is the model UID ({@code --alias}), so the proxy's upstream name equals it.
 */
final class LlamaServerCommand {
    /** Launch keys turned into flags here (or read by the host); every other key passes through as a flag. */
    static final Set<String> HANDLED = Set.of("n_ctx", "n_parallel", "n_threads", "n_gpu_layers", "embedding",
            "reranking", "pooling", "flash_attn", "cache_type_k", "cache_type_v", "seed", "tensor_split",
            "model_backend");

    private LlamaServerCommand() {
    }

    static ProcessSpec build(LoadRequest request, LlamaServerRuntime runtime, GgufFacts gguf, int port,
            Path workDir) {
        ServerLaunchOptions options = ServerLaunchOptions.from(request, gguf);
        List<String> argv = new ArrayList<>(List.of(runtime.binary().toString(),
                "--model", request.modelPath().toAbsolutePath().toString(),
                "--alias", request.modelUid(),
                "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--ctx-size", Integer.toString(options.totalContext()),
                "--parallel", Integer.toString(options.parallelSlots()),
                "--jinja", "--metrics"));
        positiveFlag(argv, request, "n_threads", "--threads");
        if (request.options().get("n_gpu_layers") != null) {
            // Without it llama.cpp fits as many layers as the free GPU memory holds (--fit), which is the default.
            argv.addAll(List.of("--n-gpu-layers", String.valueOf(request.options().get("n_gpu_layers"))));
        }
        if (options.embedding()) {
            argv.add("--embedding");
        }
        if (options.reranking()) {
            argv.add("--reranking");
        }
        if (options.pooling() != null) {
            argv.addAll(List.of("--pooling", options.pooling()));
        }
        Object flashAttention = request.options().get("flash_attn");
        if (flashAttention != null) {
            argv.addAll(List.of("--flash-attn", flashAttention(flashAttention)));
        }
        ServerOptions.addIfPresent(argv, request, "cache_type_k", "--cache-type-k");
        ServerOptions.addIfPresent(argv, request, "cache_type_v", "--cache-type-v");
        ServerOptions.addIfPresent(argv, request, "seed", "--seed");
        Map<String, String> env = new LinkedHashMap<>();
        List<Integer> gpus = request.gpuIndexes();
        if (gpus.isEmpty() && !"cpu".equals(runtime.backend())) {
            // placed on no GPU (n_gpu 0 or null): a GPU build would otherwise offload to every GPU it sees
            argv.addAll(List.of("--device", "none"));
        } else if (!gpus.isEmpty()) {
            env.put(visibleDevicesVariable(runtime.backend()), ServerOptions.joinIndexes(gpus));
            Object split = request.options().get("tensor_split");
            if (split != null) {
                argv.addAll(List.of("--tensor-split", String.valueOf(split)));
            } else if (gpus.size() > 1) {
                // The visible GPUs share the layers equally; tensor_split overrides (e.g. "3,1").
                argv.addAll(List.of("--tensor-split", String.join(",", Collections.nCopies(gpus.size(), "1"))));
            }
        }
        argv.addAll(LaunchFlags.passThrough(request.options(), HANDLED));
        return new ProcessSpec(request.modelUid(), argv, env, workDir,
                URI.create("http://127.0.0.1:" + port + "/health"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
    }

    /** The variable that limits a build to some GPUs: CUDA's own, or ggml's for Vulkan. */
    static String visibleDevicesVariable(String backend) {
        return "vulkan".equals(backend) ? "GGML_VK_VISIBLE_DEVICES" : "CUDA_VISIBLE_DEVICES";
    }

    /** {@code true}/{@code false} as llama-server spells them ({@code on}/{@code off}); {@code auto} as is. */
    private static String flashAttention(Object value) {
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        return switch (text) {
            case "true", "on", "1" -> "on";
            case "false", "off", "0" -> "off";
            case "auto" -> "auto";
            default -> throw ServerLaunchOptions.invalid("Launch option flash_attn must be true, false or auto; got '"
                    + value + "'");
        };
    }

    private static void positiveFlag(List<String> argv, LoadRequest request, String key, String flag) {
        if (request.options().get(key) != null) {
            int value = request.intOption(key, 0);
            ServerLaunchOptions.positive(key, value);
            argv.addAll(List.of(flag, Integer.toString(value)));
        }
    }
}
