package io.jinference.api;

import java.util.List;

/** Texts to embed. */
public record EmbeddingRequest(List<String> inputs) {
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
