package io.jinference.engine.llamacpp;

/** A file is not a GGUF llama.cpp can read; the message says what is wrong and where. */
final class GgufFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    GgufFormatException(String message) {
        super(message);
    }
}
