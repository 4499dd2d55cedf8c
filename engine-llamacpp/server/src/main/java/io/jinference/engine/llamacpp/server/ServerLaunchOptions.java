package io.jinference.engine.llamacpp.server;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import java.util.Locale;
import java.util.Set;

/**
 * The launch options with a meaning of their own in this project, read as the in-JVM backend reads them so that a
 * model launched on either backend behaves alike.
 *
 * @param contextPerSlot {@code n_ctx}: tokens one request may use; default the GGUF's trained context, at most 4096.
 *        llama-server's {@code -c} is the total of all slots, so it is given {@code n_ctx × n_parallel}.
 * @param parallelSlots {@code n_parallel}: concurrent requests decoded together ({@code -np}); default 4
 * @param embedding {@code embedding}: serve {@code /v1/embeddings}
 * @param reranking {@code reranking}: serve {@code /v1/rerank} (a reranker GGUF)
 * @param pooling {@code pooling}: none, mean, cls, last or rank; null for the GGUF's own (last for a chat model
 *        used for embeddings, whose GGUF names none)
 */
record ServerLaunchOptions(int contextPerSlot, int parallelSlots, boolean embedding, boolean reranking,
        String pooling) {
    static final int DEFAULT_MAX_CONTEXT = 4096;
    static final int DEFAULT_PARALLEL = 4;
    static final Set<String> POOLINGS = Set.of("none", "mean", "cls", "last", "rank");

    static ServerLaunchOptions from(LoadRequest request, GgufFacts gguf) {
        int familyContext = request.family() == null ? 0 : request.family().contextLength();
        long trained = gguf.contextLength().orElse(familyContext > 0 ? familyContext : DEFAULT_MAX_CONTEXT);
        int context = request.intOption("n_ctx", (int) Math.min(trained, DEFAULT_MAX_CONTEXT));
        int parallel = request.intOption("n_parallel", DEFAULT_PARALLEL);
        positive("n_ctx", context);
        positive("n_parallel", parallel);
        if ((long) context * parallel > Integer.MAX_VALUE) {
            throw invalid("n_ctx × n_parallel is too large: " + context + " × " + parallel);
        }
        Object poolingValue = request.options().get("pooling");
        String pooling = poolingValue == null ? null : poolingValue.toString().trim().toLowerCase(Locale.ROOT);
        if (pooling != null && !POOLINGS.contains(pooling)) {
            throw invalid("Launch option pooling must be one of none, mean, cls, last, rank; got '" + poolingValue + "'");
        }
        boolean embedding = request.booleanOption("embedding", false);
        if (pooling == null && embedding && !gguf.hasPoolingType()) {
            pooling = "last";
        }
        return new ServerLaunchOptions(context, parallel, embedding, request.booleanOption("reranking", false),
                pooling);
    }

    int totalContext() {
        return contextPerSlot * parallelSlots;
    }

    static void positive(String key, int value) {
        if (value <= 0) {
            throw invalid("Launch option " + key + " must be a positive integer, got " + value);
        }
    }

    static EngineException invalid(String message) {
        return new EngineException(EngineException.Kind.INVALID_REQUEST, message);
    }
}
