package io.jinference.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where an engine streams one generated answer (one choice). The host implements it (an SSE stream, or a buffer for
 * a plain response). Engines check {@link #isCancelled()} between tokens and stop early, freeing their slot, when it
 * turns true.
 */
@ProviderType
public interface TokenSink {
    /** A piece of generated text (one or more tokens, always whole UTF-8 characters). */
    void onText(String delta);

    /** True once the client went away or the request was aborted. */
    boolean isCancelled();

    /**
     * The log probabilities of the tokens of the text sent last with {@link #onText}, when the request asked for
     * them ({@link OutputOptions#logprobs()}).
     *
     * @since 1.2
     */
    default void onLogprobs(java.util.List<TokenLogprob> logprobs) {
        throw new UnsupportedOperationException("this sink takes no logprobs");
    }

    /**
     * A piece of a tool call, for an engine that parses the model's tool calls itself; the generation then ends
     * with {@link FinishReason#TOOL_CALLS}.
     *
     * @since 1.2
     */
    default void onToolCall(ToolCallDelta delta) {
        throw new UnsupportedOperationException("this sink takes no tool calls");
    }
}
