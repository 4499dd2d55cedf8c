package io.jinference.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.testing.BrokenGguf;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufHeaderTest {

    @TempDir
    Path dir;

    @Test
    void readsTheMetadataAndTensorsOfTheTinyModel() throws Exception {
        Path file = TinyGguf.builder().contextLength(1024).chatTemplate("{{ messages }}").write(dir.resolve("t.gguf"));

        GgufHeader header = GgufHeader.read(file);

        assertThat(header.version()).isEqualTo(3);
        assertThat(header.architecture()).isEqualTo("llama");
        assertThat(header.contextLength()).contains(1024L);
        assertThat(header.chatTemplate()).contains("{{ messages }}");
        assertThat(header.tokenText("tokenizer.ggml.bos_token_id")).contains("<s>");
        assertThat(header.tokenText("tokenizer.ggml.eos_token_id")).contains("</s>");
        assertThat(header.bool("tokenizer.ggml.add_space_prefix")).contains(false);
        assertThat(header.tensorCount()).isEqualTo(2 + 9 * TinyGguf.BLOCK_COUNT);
        assertThat(header.tensorTypes()).isEqualTo(Map.of(GgmlType.F32, 20));
    }

    @Test
    void aModelWithoutTemplateHasNone() throws Exception {
        assertThat(GgufHeader.read(TinyGguf.writeDefault(dir.resolve("t.gguf"))).chatTemplate()).isEmpty();
    }

    @Test
    void everyTruncationPointIsReportedNotCrashed() throws Exception {
        Path good = TinyGguf.writeDefault(dir.resolve("good.gguf"));
        long size = java.nio.file.Files.size(good);
        // cut inside the header, the metadata, the tensor table and the data
        for (long kept : new long[] {30, 100, 2_000, 4_000, 6_000, size / 3, size - 1}) {
            Path cut = BrokenGguf.truncated(good, dir.resolve("cut-" + kept + ".gguf"), kept);
            assertThatThrownBy(() -> GgufHeader.read(cut)).as("cut at %d", kept)
                    .isInstanceOf(GgufFormatException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void metadataNested200000ArraysDeepIsRefusedNotAStackOverflow() {
        Path deep = BrokenGguf.deeplyNestedArrays(dir.resolve("deep.gguf"), 200_000);
        assertThatThrownBy(() -> GgufHeader.read(deep)).isInstanceOf(GgufFormatException.class)
                .hasMessageContaining("nests arrays more than " + GgufHeader.MAX_ARRAY_DEPTH + " deep");
        Path shallow = BrokenGguf.deeplyNestedArrays(dir.resolve("shallow.gguf"), GgufHeader.MAX_ARRAY_DEPTH - 1);
        assertThatCode(() -> GgufHeader.read(shallow)).doesNotThrowAnyException();
    }

    @Test
    void knowsTheBlockLayoutOfQuantizedTypes() {
        assertThat(GgmlType.byId(3)).isEqualTo(GgmlType.Q4_1);
        assertThat(GgmlType.Q4_1.blockSize).isEqualTo(32);
        assertThat(GgmlType.Q4_1.bytesPerBlock).isEqualTo(20);
        assertThat(GgmlType.byId(12)).isEqualTo(GgmlType.Q4_K);
        assertThat(GgmlType.byId(4)).as("removed Q4_2").isNull();
        assertThat(GgmlType.byId(99)).isNull();
    }
}
