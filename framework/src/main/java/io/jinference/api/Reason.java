package io.jinference.api;

import java.util.Objects;

/** A machine-readable code plus a sentence a person can act on. */
public record Reason(ReasonCode code, String message) {
    public Reason {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return code + ": " + message;
    }
}
