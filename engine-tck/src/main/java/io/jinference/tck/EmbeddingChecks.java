package io.jinference.tck;

import io.jinference.api.EmbeddingRequest;
import io.jinference.api.EngineException;
import io.jinference.api.Embeddings;
import java.util.List;

/** Embeddings: one finite vector per input, in order, independent of the batch it came in, distinct per text. */
final class EmbeddingChecks {

    private static final List<String> TEXTS = List.of("The cat sits on the mat.",
            "Quarterly revenue grew by twelve percent.", "Hi");
    private static final double SAME = 1e-4;

    private EmbeddingChecks() {
    }

    static List<Check> of(ModelUnderTest model) {
        return List.of(
                new Check("embed answers one finite vector of one dimension per input", () -> shape(model)),
                new Check("embed answers the same vector for a text alone or in a batch", () -> batchIndependence(model)),
                new Check("embed answers distinct vectors for distinct texts", () -> distinct(model)),
                new Check("embed of no inputs answers no vectors or INVALID_REQUEST", () -> empty(model)));
    }

    private static void shape(ModelUnderTest model) {
        Embeddings embeddings = embed(model, TEXTS);
        Expect.isTrue(embeddings.vectors().size() == TEXTS.size(), TEXTS.size() + " inputs gave "
                + embeddings.vectors().size() + " vectors");
        int dimension = embeddings.vectors().get(0).length;
        Expect.isTrue(dimension > 0, "The embedding dimension is 0");
        for (float[] vector : embeddings.vectors()) {
            Expect.isTrue(vector.length == dimension, "Vectors of one request differ in dimension: " + dimension
                    + " and " + vector.length);
            for (float value : vector) {
                Expect.isTrue(Float.isFinite(value), "A vector holds a non-finite value: " + value);
            }
        }
        Expect.isTrue(embeddings.promptTokens() >= TEXTS.size(), "usage.prompt_tokens must count at least one token "
                + "per input, got " + embeddings.promptTokens() + " for " + TEXTS.size() + " inputs");
    }

    private static void batchIndependence(ModelUnderTest model) {
        float[] alone = embed(model, List.of(TEXTS.get(2))).vectors().get(0);
        float[] batched = embed(model, TEXTS).vectors().get(2);
        double distance = maxDifference(alone, batched);
        Expect.isTrue(distance < SAME, "The vector of '" + TEXTS.get(2) + "' changes by " + distance
                + " when it is batched with longer texts (padding leaks into the result?)");
    }

    private static void distinct(ModelUnderTest model) {
        List<float[]> vectors = embed(model, TEXTS).vectors();
        Expect.isTrue(maxDifference(vectors.get(0), vectors.get(1)) > SAME,
                "Two unrelated texts got the same vector");
    }

    private static void empty(ModelUnderTest model) {
        try {
            Embeddings embeddings = model.get().embed(new EmbeddingRequest(List.of()));
            Expect.isTrue(embeddings != null && embeddings.vectors().isEmpty(),
                    "An empty input list must answer no vectors, got " + embeddings);
        } catch (EngineException e) {
            Expect.isTrue(e.kind() == EngineException.Kind.INVALID_REQUEST, "An empty input list must answer no "
                    + "vectors or INVALID_REQUEST, got " + e.kind() + ": " + e.getMessage());
        }
    }

    private static Embeddings embed(ModelUnderTest model, List<String> texts) {
        Embeddings embeddings = model.get().embed(new EmbeddingRequest(texts));
        Expect.isTrue(embeddings != null, "embed returned null");
        return embeddings;
    }

    private static double maxDifference(float[] a, float[] b) {
        Expect.isTrue(a.length == b.length, "Vectors differ in dimension: " + a.length + " and " + b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
