package io.jinference.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {

    @Test
    void defaultsFollowTheModelAndTheHost() {
        LoadOptions options = LoadOptions.from(request(Map.of()), 8192, 6);

        assertThat(options).isEqualTo(new LoadOptions(4096, 6, 4, null, false, null));
        assertThat(options.totalContext()).isEqualTo(4096 * 4);
    }

    @Test
    void aShortTrainedContextIsKept() {
        assertThat(LoadOptions.from(request(Map.of()), 2048, 2).contextPerSlot()).isEqualTo(2048);
    }

    @Test
    void withoutAContextInTheFileTheFamilyContextCounts() {
        LoadRequest request = Models.load(Path.of("x.gguf"), Models.family("f", null, List.of()), Map.of());

        assertThat(LoadOptions.from(request, 0, 2).contextPerSlot()).isEqualTo(256);
    }

    @Test
    void readsEveryOptionIncludingNumericStrings() {
        LoadOptions options = LoadOptions.from(request(Map.of("n_ctx", "1024", "n_threads", 3, "n_parallel", 8,
                "seed", 42, "embedding", "true", "pooling", "CLS")), 8192, 2);

        assertThat(options).isEqualTo(new LoadOptions(1024, 3, 8, 42L, true, "cls"));
    }

    @Test
    void rejectsBadValues() {
        assertInvalid(Map.of("n_ctx", 0), "n_ctx");
        assertInvalid(Map.of("n_parallel", -2), "n_parallel");
        assertInvalid(Map.of("n_threads", "many"), "n_threads");
        assertInvalid(Map.of("pooling", "mean"), "pooling");
        assertInvalid(Map.of("n_ctx", 1 << 20, "n_parallel", 4096), "too large");
    }

    @Test
    void refusesKeysItCannotHonourInsteadOfIgnoringThem() {
        assertInvalid(Map.of("n_ctx", 512, "flash_attn", true, "cache_type_k", "q8_0"),
                "does not understand the launch options [cache_type_k, flash_attn]");
        assertThat(LoadOptions.from(request(Map.of("model_backend", "jvm")), 4096, 2).parallelSlots())
                .isEqualTo(LoadOptions.DEFAULT_PARALLEL);
    }

    private static void assertInvalid(Map<String, Object> options, String message) {
        assertThatThrownBy(() -> LoadOptions.from(request(options), 4096, 2))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageContaining(message);
    }

    private static LoadRequest request(Map<String, Object> options) {
        return Models.load(Path.of("x.gguf"), null, options);
    }
}
