package io.jinference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class ModelFilesTest {
    @TempDir
    Path home;

    private static final ModelSpec GGUF = new ModelSpec("ggufv2", "0_135", List.of("q4_1"),
            Map.of("huggingface", new ModelSource("org/model-GGUF", "model.{quantization}.gguf", null)), null);
    private static final ModelFamily FAMILY = new ModelFamily("smollm2.x", "", List.of("en"), List.of("chat"), 2048,
            List.of(), null, List.of(), List.of(), List.of(GGUF), null, true);

    @Test
    void aGivenModelPathMustExist() throws IOException {
        Path file = Files.writeString(home.resolve("m.gguf"), "x");
        assertThat(ModelFiles.resolve(home, FAMILY, GGUF, "q4_1", file.toString())).isEqualTo(file);
        assertThatThrownBy(() -> ModelFiles.resolve(home, FAMILY, GGUF, "q4_1", home.resolve("no.gguf").toString()))
                .isInstanceOf(LaunchException.class).hasMessageContaining("no.gguf");
    }

    @Test
    void theCacheFollowsXinferencesLayoutAndSaysWhenNothingIsThere() throws IOException {
        assertThatThrownBy(() -> ModelFiles.resolve(home, FAMILY, GGUF, "q4_1", null))
                .isInstanceOf(LaunchException.class).hasMessageContaining("cannot download")
                .hasMessageContaining("model_path");
        Path dir = Files.createDirectories(home.resolve("cache/v2/smollm2_x-ggufv2-0_135b-q4_1"));
        Path file = Files.writeString(dir.resolve("model.q4_1.gguf"), "x");
        assertThat(ModelFiles.resolve(home, FAMILY, GGUF, "q4_1", null)).isEqualTo(file);
    }

    @Test
    void aCustomRegistrationsUriIsUsed() throws IOException {
        Path file = Files.writeString(home.resolve("custom.gguf"), "x");
        ModelSpec custom = new ModelSpec("ggufv2", "1", List.of("q4_0"), Map.of(), file.toUri().toString());
        assertThat(ModelFiles.resolve(home, FAMILY, custom, "q4_0", null)).isEqualTo(file);
    }

    @Test
    void wholeSizesGoOnTheWireAsNumbers() {
        assertThat(ModelInstance.sizeForWire("7")).isEqualTo(7L);
        assertThat(ModelInstance.sizeForWire("1_8")).isEqualTo("1_8");
    }
}
