package io.jinference.api;

import java.util.Map;
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
