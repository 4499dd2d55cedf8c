package io.jinference.api;

import java.util.Locale;

/** Why generation ended, as OpenAI reports it. */
public enum FinishReason {
    /** A stop token or stop string was produced. */
    STOP,
    /** {@code max_tokens} (or the context) was reached. */
    LENGTH,
    /** The client cancelled the request. */
    CANCELLED,
    /**
     * The answer is tool calls.
     *
     * @since 1.2
     */
    TOOL_CALLS;

    /** The OpenAI wire spelling: {@code stop}, {@code length}, {@code cancelled}, {@code tool_calls}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
