package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import io.jinference.cluster.FreeMemory;
import io.jinference.cluster.MemoryEstimate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A launch's memory estimate, and on a single node the check that it fits: a GGUF or safetensors checkpoint
 * launched from a local path whose weights, KV cache and compute buffer (activations) exceed the host's free memory
 * (RAM plus its GPUs' memory) is refused with 400, the estimate and the free memory, instead of failing later inside
 * the engine.
 */
public final class LaunchFit {
    private final HostProfile host;

    private LaunchFit(HostProfile host) {
        this.host = host;
    }

    /** Registers the single-node check; call after the request guard's route. */
    public static void register(RoutesConfig routes, HostProfile host) {
        LaunchFit fit = new LaunchFit(host);
        routes.beforeMatched(ctx -> {
            var endpoint = ctx.endpoints().matchedHttpEndpoint();
            if (endpoint != null && ctx.method().name().equals("POST") && endpoint.path.equals("/v1/models")) {
                fit.check(ctx);
            }
        });
    }

    /**
     * The estimate of a launch from a local file: a GGUF, or a Hugging Face checkpoint (a folder with
     * {@code config.json} and safetensors weights, or one {@code .safetensors} file in it); empty for any other
     * launch (a hub download, a folder of another kind).
     */
    static Optional<MemoryEstimate> estimate(ObjectNode body) {
        String modelPath = Json.text(body, "model_path");
        if (modelPath == null || modelPath.isBlank()) {
            return Optional.empty();
        }
        Path file = Path.of(modelPath);
        try {
            if (isCheckpoint(file)) {
                return safetensors(file, body);
            }
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            return Optional.of(MemoryEstimate.ofGguf(file, Json.plain(body)));
        } catch (java.io.UncheckedIOException unreadable) {
            return Optional.empty(); // the launch itself reports a file it cannot read
        }
    }

    private static boolean isCheckpoint(Path path) {
        Path folder = Files.isDirectory(path) ? path : path.toAbsolutePath().getParent();
        boolean weights = Files.isDirectory(path) || path.getFileName().toString().endsWith(".safetensors");
        return weights && folder != null && Files.isRegularFile(folder.resolve("config.json"));
    }

    /**
     * The checkpoint's estimate, or none where it cannot be made (no safetensors, a damaged file, an option the
     * estimate does not know): the engine the launch goes to judges its own files and options.
     */
    private static Optional<MemoryEstimate> safetensors(Path checkpoint, ObjectNode body) {
        try {
            return Optional.of(MemoryEstimate.ofSafetensors(checkpoint, Json.plain(body)));
        } catch (IllegalArgumentException notEstimable) {
            return Optional.empty();
        }
    }

    private void check(Context ctx) {
        ObjectNode body = Json.body(ctx);
        Optional<MemoryEstimate> estimate;
        try {
            estimate = estimate(body);
        } catch (IllegalArgumentException notGguf) {
            return; // the launch itself says what is wrong with the file
        }
        if (estimate.isEmpty()) {
            return;
        }
        long vram = host.gpus().stream().mapToLong(GpuDevice::memoryBytes).sum();
        long ram = FreeMemory.of(host, 0);
        long free = ram > Long.MAX_VALUE - vram ? Long.MAX_VALUE : ram + vram;
        long need = estimate.get().totalBytes();
        if (need <= free) {
            return;
        }
        String why = "The model needs an estimated " + MemoryEstimate.mib(need) + " (" + estimate.get().how()
                + ") but this server has " + MemoryEstimate.mib(free) + " free; lower n_ctx or n_parallel, or use a "
                + "smaller quantization";
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("node", "this server");
        worker.put("memory_free_bytes", free);
        worker.put("fits", false);
        Map<String, Object> refusal = new LinkedHashMap<>();
        refusal.put("detail", why);
        refusal.put("error", ErrorMapper.openAiError(why, 400, null));
        refusal.put("estimate", estimate.get().toMap());
        refusal.put("workers", List.of(worker));
        ctx.status(400);
        Json.send(ctx, refusal);
        ctx.skipRemainingHandlers();
    }
}
