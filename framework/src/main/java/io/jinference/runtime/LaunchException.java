package io.jinference.runtime;

/** A launch request that cannot be satisfied as given (no engine fits, no model file, UID taken). */
public class LaunchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public LaunchException(String message) {
        super(message);
    }
}
