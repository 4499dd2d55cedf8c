package io.jinference.api;

import java.util.Objects;

/**
 * A failure an engine reports to the host. The {@link Kind} tells the host how to answer the client
 * (bad request, failed load, temporarily unavailable); the message is shown to the user as is, so it must
 * be a clear sentence without stack traces.
 */
public class EngineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The request itself is wrong (bad parameter value, unsupported option). */
        INVALID_REQUEST,
        /** The model could not be loaded (missing or corrupt file, unsupported architecture). */
        LOAD_FAILED,
        /** The model asked for an ability the engine or model does not have (e.g. embeddings). */
        UNSUPPORTED,
        /** The engine cannot serve right now (process died, bundle stopping); retrying later may work. */
        UNAVAILABLE,
        /** Anything else that went wrong inside the engine. */
        INTERNAL
    }

    private final Kind kind;

    public EngineException(Kind kind, String message) {
        this(kind, message, null);
    }

    public EngineException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }
}
