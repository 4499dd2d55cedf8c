package io.jinference.examples.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.EmbeddingRequest;
import io.jinference.api.RunningModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine outside OSGi, on the real all-MiniLM-L6-v2: vectors mean what sentence-transformers' vectors mean. */
class OnnxEngineTest {

    @Test
    void paraphrasesAreCloserThanUnrelatedSentences() {
        try (RunningModel model = new OnnxEngine().load(MiniLm.loadRequest(), null)) {
            List<float[]> vectors = model.embed(new EmbeddingRequest(List.of(
                    "A man is playing a guitar.",
                    "Someone is strumming a guitar.",
                    "The stock market fell sharply today."))).vectors();

            double paraphrase = dot(vectors.get(0), vectors.get(1));
            double unrelated = dot(vectors.get(0), vectors.get(2));
            assertThat(vectors.get(0)).hasSize(384);
            assertThat(dot(vectors.get(0), vectors.get(0))).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
            assertThat(paraphrase).isGreaterThan(0.5).isGreaterThan(unrelated + 0.3);
        }
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
