package io.jinference.runtime;

/** The model exists but cannot serve now (still launching, failed or terminating). */
public class ModelNotReadyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelNotReadyException(String message) {
        super(message);
    }
}
