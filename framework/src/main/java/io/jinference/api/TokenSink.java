package io.jinference.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Where an engine streams generated text. The host implements it (an SSE stream, or a buffer for a plain response).
 * Engines check {@link #isCancelled()} between tokens and stop early, freeing their slot, when it turns true.
 */
@ProviderType
public interface TokenSink {
    /** A piece of generated text (one or more tokens, always whole UTF-8 characters). */
    void onText(String delta);

    /** True once the client went away or the request was aborted. */
    boolean isCancelled();
}
