package io.jinference.api;

import java.util.Map;
import java.util.function.Consumer;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A loaded model. Operations block the calling thread until generation ends and stream text to the sink; several
 * threads may call at once (an engine batches or queues them). An ability the model lacks answers
 * {@link EngineException.Kind#UNSUPPORTED}, which is what the defaults do.
 */
@ConsumerType
public interface RunningModel extends AutoCloseable {

    default Generation chat(ChatRequest request, TokenSink sink) {
        throw unsupported("chat");
    }

    default Generation complete(CompletionRequest request, TokenSink sink) {
        throw unsupported("completions");
    }

    default Embeddings embed(EmbeddingRequest request) {
        throw unsupported("embeddings");
    }

    /**
     * Forwards one OpenAI request to the OpenAI-compatible server this model is served by, when it has one: the
     * host's {@code exchange} (send the client's request as it is, copy the answer back) runs inside this call, so
     * that the model, and whatever wraps it, sees the request in flight exactly as it sees a {@link #chat} call.
     * Failures the exchange throws ({@link java.io.UncheckedIOException} when the server stops answering) may be
     * turned into an {@link EngineException} that says why.
     *
     * @return false, without running the exchange, when the model is served in this process (the default): the
     *     host then calls {@link #chat}, {@link #complete} or {@link #embed} instead
     * @throws EngineException {@link EngineException.Kind#UNAVAILABLE} when the server does not serve right now
     * @since 1.1
     */
    default boolean forward(Consumer<OpenAiUpstream> exchange) {
        return false;
    }

    /** Engine-specific facts added to the model's description (context size, server URL, process id, …). */
    default Map<String, Object> describe() {
        return Map.of();
    }

    /** Frees the model's memory (or stops its server). Must be safe to call twice. */
    @Override
    void close();

    private static EngineException unsupported(String what) {
        return new EngineException(EngineException.Kind.UNSUPPORTED, "This model does not support " + what);
    }
}
