package io.jinference.api;

import java.util.List;

/** One vector per input, in input order, and the tokens the inputs used. */
public record Embeddings(List<float[]> vectors, int promptTokens) {
    public Embeddings {
        vectors = List.copyOf(vectors);
    }
}
