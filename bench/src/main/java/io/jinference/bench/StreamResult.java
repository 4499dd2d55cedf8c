package io.jinference.bench;

import java.util.OptionalDouble;

/**
 * What one streamed chat completion showed the client: when it was sent, when the first and the last content token
 * arrived, and how many tokens there were. Token counts come from the response's {@code usage} when the server
 * reports it in the stream; otherwise each content chunk counts as one token.
 *
 * @param promptTokens the prompt's token count from {@code usage}, or -1 when the stream did not report it
 */
record StreamResult(long sentNanos, long firstTokenNanos, long lastTokenNanos, long doneNanos,
                    int contentChunks, int promptTokens, int usageCompletionTokens) {

    boolean reportedUsage() {
        return usageCompletionTokens >= 0;
    }

    int completionTokens() {
        return reportedUsage() ? usageCompletionTokens : contentChunks;
    }

    double timeToFirstTokenMillis() {
        return (firstTokenNanos - sentNanos) / 1e6;
    }

    /** Tokens after the first one, over the time between the first and the last: the pure decode rate. */
    OptionalDouble decodeTokensPerSecond() {
        long span = lastTokenNanos - firstTokenNanos;
        int tokens = completionTokens() - 1;
        return tokens > 0 && span > 0 ? OptionalDouble.of(tokens / (span / 1e9)) : OptionalDouble.empty();
    }
}
