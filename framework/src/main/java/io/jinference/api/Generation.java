package io.jinference.api;

/** How a generation ended; the text itself went to the {@link TokenSink}. */
public record Generation(FinishReason finishReason, Usage usage) {
}
