package io.jinference.engine.mlx;

import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LaunchFlags;
import io.jinference.engine.support.ServerOptions;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds the {@code python -m mlx_lm.server} command for one model (pure). */
final class MlxCommand {
    /**
     * mlx_lm serves the model given by {@code --model} under this name (it has no {@code --served-model-name}); any
     * other name makes it try to download that model from the Hub.
     */
    static final String UPSTREAM_MODEL = "default_model";
    static final Set<String> HANDLED = Set.of();

    private MlxCommand() {
    }

    static ProcessSpec build(LoadRequest request, Path python, int port, Path workDir) {
        List<String> argv = new ArrayList<>(List.of(python.toString(), "-m", "mlx_lm.server", "--model",
                request.modelPath().toString(), "--host", "127.0.0.1", "--port", Integer.toString(port)));
        // Memory guards (max_kv_size, prompt_cache_bytes, …) and every other key pass through as flags.
        argv.addAll(LaunchFlags.passThrough(request.options(), HANDLED));
        // mlx_lm lists models from a Hugging Face cache folder (its /v1/models fails without one) and must never
        // reach for the network.
        Map<String, String> env = Map.of("HF_HUB_CACHE", workDir.resolve("hf-cache").toString(), "HF_HUB_OFFLINE", "1");
        // mlx_lm has no documented health route, so readiness and liveness poll the model list.
        return new ProcessSpec(request.modelUid(), argv, env, workDir,
                URI.create("http://127.0.0.1:" + port + "/v1/models"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
    }
}
