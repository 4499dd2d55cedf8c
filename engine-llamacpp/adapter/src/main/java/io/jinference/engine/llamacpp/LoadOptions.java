package io.jinference.engine.llamacpp;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The launch options this engine reads from {@link LoadRequest#options()}.
 *
 * @param contextPerSlot {@code n_ctx}: tokens one request may use (prompt + completion). Default: the model's
 *        trained context, at most 4096. llama.cpp's own {@code -c} is the total for all slots; here the KV cache
 *        holds {@code n_ctx × n_parallel} tokens so that every concurrent request gets the full context.
 * @param threads {@code n_threads}: CPU threads for decoding; default all cores.
 * @param parallelSlots {@code n_parallel}: requests decoded together in one batch; default 4, a good balance on
 *        small hosts (more slots batch more concurrent requests but multiply the KV cache); further requests wait.
 * @param seed {@code seed}: default sampling seed of requests that give none; null for llama.cpp's random seed.
 * @param embedding {@code embedding}: load for {@code /v1/embeddings}; default false.
 * @param pooling {@code pooling}: how token vectors become one embedding ({@code last} or {@code cls}); null to
 *        keep the model's own (see {@link LlamaCppEngine}). {@code mean} is not offered: b4916 aborts the process
 *        (GGML_ASSERT in ggml_mul_mat) when a causal model is loaded with mean pooling.
 */
record LoadOptions(int contextPerSlot, int threads, int parallelSlots, Long seed, boolean embedding,
        String pooling) {

    static final Set<String> POOLINGS = Set.of("cls", "last");
    /**
     * Every launch key this backend reads, and the ones the host reads for it (the backend pin; {@code n_gpu} and
     * {@code gpu_idx}, which the host's GPU placement checks: a CPU-only engine asked for a GPU gets its 400 there).
     * java-llama.cpp has no flags to pass anything else to, so any other key is refused rather than silently dropped.
     */
    static final Set<String> KEYS = Set.of("n_ctx", "n_threads", "n_parallel", "seed", "embedding", "pooling",
            "model_backend", "n_gpu", "gpu_idx");

    static final int DEFAULT_MAX_CONTEXT = 4096;
    static final int DEFAULT_PARALLEL = 4;

    static LoadOptions from(LoadRequest request, long modelContext, int cores) {
        refuseUnknownKeys(request);
        int familyContext = request.family() == null ? 0 : request.family().contextLength();
        long trained = modelContext > 0 ? modelContext : familyContext > 0 ? familyContext : DEFAULT_MAX_CONTEXT;
        int context = request.intOption("n_ctx", (int) Math.min(trained, DEFAULT_MAX_CONTEXT));
        int threads = request.intOption("n_threads", cores);
        int parallel = request.intOption("n_parallel", DEFAULT_PARALLEL);
        positive("n_ctx", context);
        positive("n_threads", threads);
        positive("n_parallel", parallel);
        if ((long) context * parallel > Integer.MAX_VALUE) {
            throw invalid("n_ctx × n_parallel is too large: " + context + " × " + parallel);
        }
        Object seedValue = request.options().get("seed");
        Long seed = seedValue == null ? null : (long) request.intOption("seed", 0);
        Object poolingValue = request.options().get("pooling");
        String pooling = poolingValue == null ? null : poolingValue.toString().trim().toLowerCase(Locale.ROOT);
        if (pooling != null && !POOLINGS.contains(pooling)) {
            throw invalid("Launch option pooling must be one of " + new TreeSet<>(POOLINGS) + ", got '" + poolingValue + "'");
        }
        return new LoadOptions(context, threads, parallel, seed, request.booleanOption("embedding", false), pooling);
    }

    private static void refuseUnknownKeys(LoadRequest request) {
        Set<String> unknown = new TreeSet<>(request.options().keySet());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw invalid("The in-JVM llama.cpp backend (java-llama.cpp) does not understand the launch option"
                    + (unknown.size() == 1 ? " " : "s ") + unknown + "; it reads " + new TreeSet<>(KEYS)
                    + ". The llama-server backend (model_backend: server) passes other keys to llama-server as flags.");
        }
    }

    /** The KV cache size handed to llama.cpp, which divides it among the slots. */
    int totalContext() {
        return contextPerSlot * parallelSlots;
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw invalid("Launch option " + key + " must be a positive integer, got " + value);
        }
    }

    private static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }
}
