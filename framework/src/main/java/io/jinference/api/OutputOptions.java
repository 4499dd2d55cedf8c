package io.jinference.api;

/**
 * What an answer reports besides its text.
 *
 * @param logprobs whether the log probability of every generated token is reported
 *     ({@link TokenSink#onLogprobs})
 * @param topLogprobs how many alternatives per position ({@code top_logprobs}, 0 to 20); 0 without logprobs
 * @param echo completions only: the prompt is sent before the completion, as OpenAI's {@code echo}; a host that
 *     writes the prompt itself asks the engine with {@code false}
 * @since 1.2
 */
public record OutputOptions(boolean logprobs, int topLogprobs, boolean echo) {
    /** The most alternatives per position OpenAI allows. */
    public static final int MAX_TOP_LOGPROBS = 20;

    public OutputOptions {
        if (topLogprobs < 0 || topLogprobs > MAX_TOP_LOGPROBS) {
            throw new IllegalArgumentException("topLogprobs must be in [0, " + MAX_TOP_LOGPROBS + "]");
        }
        if (topLogprobs > 0 && !logprobs) {
            throw new IllegalArgumentException("topLogprobs needs logprobs");
        }
    }

    public static OutputOptions plain() {
        return new OutputOptions(false, 0, false);
    }
}
