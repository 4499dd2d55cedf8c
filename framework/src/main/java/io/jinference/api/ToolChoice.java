package io.jinference.api;

import java.util.Objects;

/**
 * Whether and which tool the model must call: OpenAI's {@code tool_choice} and {@code parallel_tool_calls}.
 *
 * @param function the function a {@link Mode#FUNCTION} choice names; null otherwise
 * @param parallel whether the model may call several tools in one answer
 * @since 1.2
 */
public record ToolChoice(Mode mode, String function, boolean parallel) {
    public enum Mode {
        /** The model decides whether to call a tool (OpenAI's default when tools are given). */
        AUTO,
        /** The model must not call a tool. */
        NONE,
        /** The model must call at least one tool. */
        REQUIRED,
        /** The model must call {@link #function()}. */
        FUNCTION
    }

    public ToolChoice {
        Objects.requireNonNull(mode, "mode");
        if ((mode == Mode.FUNCTION) != (function != null)) {
            throw new IllegalArgumentException("a FUNCTION tool choice names its function, and only it does");
        }
    }

    /** OpenAI's default: the model decides, and may call several tools. */
    public static ToolChoice auto() {
        return new ToolChoice(Mode.AUTO, null, true);
    }

    /** True when the answer must be tool calls ({@link Mode#REQUIRED} or {@link Mode#FUNCTION}). */
    public boolean forced() {
        return mode == Mode.REQUIRED || mode == Mode.FUNCTION;
    }
}
