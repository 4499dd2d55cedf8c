package io.jinference.engine.transformers.python;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LaunchFlags;
import io.jinference.engine.support.ServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the command of the bundle's OpenAI server script for one model: a pure function of the load request, the
 * Python, the script, a port and the files the engine prepared. The script takes a fixed set of flags, so a launch
 * key it has none for is refused here rather than passed on and ignored.
 */
final class TransformersServerCommand {
    /** Launch keys this backend reads; besides them only the host's keys and the supervision keys are accepted. */
    static final Set<String> KEYS = Set.of("dtype", "torch_dtype", "n_threads", "attn_implementation",
            "max_model_len", "context_length");
    static final Set<String> DTYPES = Set.of("auto", "float32", "bfloat16", "float16");

    private TransformersServerCommand() {
    }

    /**
     * @param chatTemplate a file holding the family's chat template, for a checkpoint that has none; null otherwise
     */
    static ProcessSpec build(LoadRequest request, Path python, Path script, int port, Path workDir,
            Path chatTemplate) {
        refuseUnknownKeys(request);
        List<String> argv = new ArrayList<>(List.of(python.toString(), script.toString(),
                "--model", request.modelPath().toString(), "--served-model-name", request.modelUid(),
                "--host", "127.0.0.1", "--port", Integer.toString(port)));
        Map<String, String> env = new LinkedHashMap<>();
        List<Integer> gpus = request.gpuIndexes();
        if (gpus.isEmpty()) {
            argv.addAll(List.of("--device", "cpu"));
        } else {
            argv.addAll(List.of("--device", "cuda"));
            env.put("CUDA_VISIBLE_DEVICES", ServerOptions.joinIndexes(gpus));
        }
        argv.addAll(List.of("--dtype", dtype(request)));
        if (request.options().get("n_threads") != null) {
            argv.addAll(List.of("--threads", Integer.toString(positive(request, "n_threads"))));
        }
        Object attention = request.options().get("attn_implementation");
        if (attention != null) {
            if (!attention.toString().matches("[A-Za-z0-9_:./-]+")) {
                throw invalid("Launch option attn_implementation must be a name such as eager or sdpa, got '"
                        + attention + "'");
            }
            argv.addAll(List.of("--attn-implementation", attention.toString()));
        }
        String lengthKey = request.options().containsKey("max_model_len") ? "max_model_len" : "context_length";
        if (request.options().get(lengthKey) != null) {
            argv.addAll(List.of("--max-model-len", Integer.toString(positive(request, lengthKey))));
        }
        if (chatTemplate != null) {
            argv.addAll(List.of("--chat-template", chatTemplate.toString()));
        }
        if (request.family() != null && !request.family().stopTokenIds().isEmpty()) {
            argv.add("--stop-token-ids");
            request.family().stopTokenIds().forEach(id -> argv.add(Integer.toString(id)));
        }
        // The checkpoint is local: transformers must not try the Hub for it, nor fork tokenizer threads.
        env.put("HF_HUB_OFFLINE", "1");
        env.put("TOKENIZERS_PARALLELISM", "false");
        env.put("PYTHONUNBUFFERED", "1");
        return new ProcessSpec(request.modelUid(), argv, env, workDir,
                URI.create("http://127.0.0.1:" + port + "/health"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
    }

    /** {@code dtype} (or {@code torch_dtype}); {@code auto}: bfloat16/float16 on a GPU, float32 on the CPU. */
    static String dtype(LoadRequest request) {
        Object value = request.options().getOrDefault("dtype", request.options().get("torch_dtype"));
        String dtype = value == null ? "auto" : value.toString().trim().toLowerCase(Locale.ROOT);
        if (!DTYPES.contains(dtype)) {
            throw invalid("Launch option dtype must be one of " + new TreeSet<>(DTYPES) + ", got '" + value + "'");
        }
        return dtype;
    }

    private static void refuseUnknownKeys(LoadRequest request) {
        Set<String> unknown = new TreeSet<>(request.options().keySet());
        unknown.removeAll(KEYS);
        unknown.removeAll(LaunchFlags.HOST_KEYS);
        unknown.removeAll(ServerOptions.SUPERVISION_KEYS);
        if (!unknown.isEmpty()) {
            throw invalid("The Python transformers backend does not understand the launch option"
                    + (unknown.size() == 1 ? " " : "s ") + unknown + "; it reads " + new TreeSet<>(KEYS) + " and "
                    + ServerOptions.SUPERVISION_KEYS);
        }
    }

    private static int positive(LoadRequest request, String key) {
        int value;
        try {
            value = request.intOption(key, 0);
        } catch (RuntimeException e) {
            throw invalid("Launch option " + key + " must be a positive integer, got '" + request.options().get(key)
                    + "'");
        }
        if (value <= 0) {
            throw invalid("Launch option " + key + " must be a positive integer, got " + value);
        }
        return value;
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }
}
