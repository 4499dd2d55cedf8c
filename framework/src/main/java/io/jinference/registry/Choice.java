package io.jinference.registry;

import io.jinference.api.ModelSpec;

/**
 * The engine and spec chosen for a request.
 *
 * @param quantization in the spec's own spelling
 * @param why one sentence: the policy rule (or the request) that made this engine win
 */
public record Choice(EngineCandidate engine, ModelSpec spec, String quantization, String why) {
}
