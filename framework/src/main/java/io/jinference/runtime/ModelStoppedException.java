package io.jinference.runtime;

import io.jinference.api.EngineException;

/**
 * A request cut short because its model was terminated, drained or unloaded while it ran (503). A stream that had
 * already started ends with this as an error event, never with a finish reason that claims the text is complete.
 */
public final class ModelStoppedException extends EngineException {
    private static final long serialVersionUID = 1L;

    public ModelStoppedException(String message) {
        super(Kind.UNAVAILABLE, message);
    }
}
