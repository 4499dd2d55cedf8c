package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The blocked head gives the single product's logits, in vocabulary order, whole blocks or not. */
class LanguageModelHeadTest {
    private static final int HIDDEN = 48;

    @BeforeAll
    static void startLibtorch() {
        DjlRuntime.engine();
    }

    @ParameterizedTest(name = "vocab {0}, {1} rows")
    @CsvSource({"512, 1", "512, 4", "260, 4", "260, 8", "260, 32", "260, 33", "100, 3"})
    void logitsEqualTheSingleProduct(int vocab, int rows) {
        DjlRuntime.run(() -> {
            try (NDManager manager = NDManager.newBaseManager()) {
                manager.getEngine().setRandomSeed(vocab * 100 + rows);
                NDArray matrix = manager.randomNormal(new Shape(vocab, HIDDEN));
                NDArray x = manager.randomNormal(new Shape(rows, HIDDEN));
                NDArray expected = Linear.linear(x, matrix).singletonOrThrow();

                NDArray actual = new LanguageModelHead(matrix).apply(x);

                assertThat(actual.getShape()).isEqualTo(new Shape(rows, vocab));
                assertThat(actual.sub(expected).abs().max().getFloat()).isLessThan(1e-4f);
            }
        });
    }
}
