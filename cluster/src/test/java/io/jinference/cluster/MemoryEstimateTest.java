package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.testing.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GGUF estimate on the project's tiny GGUF, whose shapes are known, and on damaged files. */
final class MemoryEstimateTest {
    @TempDir
    Path dir;

    @Test
    void weightsComeFromTheTensorTableAndTheKvCacheFromTheMetadata() throws IOException {
        Path model = TinyGguf.builder().contextLength(256).write(dir.resolve("tiny.gguf"));
        GgufTable table = GgufTable.read(model);
        assertThat(table.architecture()).isEqualTo("llama");
        assertThat(table.arrayLength("tokenizer.ggml.tokens")).contains((long) TinyGguf.VOCAB_SIZE);
        // every tensor is F32: its data is at least 4 bytes per parameter, and the file holds little else
        long embeddings = 4L * TinyGguf.VOCAB_SIZE * TinyGguf.EMBEDDING_LENGTH;
        assertThat(table.tensorBytes()).isGreaterThan(embeddings).isLessThan(Files.size(model));

        MemoryEstimate estimate = MemoryEstimate.ofGguf(model, Map.of());
        assertThat(estimate.weightsBytes()).isEqualTo(table.tensorBytes());
        long headSize = TinyGguf.EMBEDDING_LENGTH / TinyGguf.HEAD_COUNT;
        // n_ctx 256 (the trained context, under 4096) x 4 slots, 2 layers, 4 KV heads, keys and values in f16
        assertThat(estimate.kvCacheBytes()).isEqualTo(256L * 4 * TinyGguf.BLOCK_COUNT * TinyGguf.HEAD_COUNT
                * (headSize + headSize) * 2);
        assertThat(estimate.computeBytes()).isPositive();
        assertThat(estimate.totalBytes()).isEqualTo(estimate.weightsBytes() + estimate.kvCacheBytes()
                + estimate.computeBytes());
        assertThat(estimate.how()).contains("n_ctx 256 x n_parallel 4");
    }

    @Test
    void launchOptionsChangeTheKvCache() {
        Path model = TinyGguf.builder().write(dir.resolve("tiny.gguf"));
        long f16 = MemoryEstimate.ofGguf(model, Map.of("n_ctx", 128, "n_parallel", 1)).kvCacheBytes();
        assertThat(MemoryEstimate.ofGguf(model, Map.of("n_ctx", "256", "n_parallel", 1)).kvCacheBytes())
                .isEqualTo(2 * f16);
        assertThat(MemoryEstimate.ofGguf(model, Map.of("n_ctx", 128, "n_parallel", 1, "cache_type_k", "q8_0",
                "cache_type_v", "q8_0")).kvCacheBytes()).isEqualTo(f16 * 17 / 32);
        assertThatThrownBy(() -> MemoryEstimate.ofGguf(model, Map.of("n_ctx", -1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("n_ctx must be a positive number");
        assertThatThrownBy(() -> MemoryEstimate.ofGguf(model, Map.of("cache_type_k", "q3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a llama.cpp cache type");
    }

    @Test
    void aDamagedFileIsRefusedWithAReason() throws IOException {
        byte[] whole = TinyGguf.builder().toBytes();
        Path truncated = Files.write(dir.resolve("truncated.gguf"), Arrays.copyOf(whole, 2000));
        assertThatThrownBy(() -> GgufTable.read(truncated)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("damaged or truncated");
        Path text = Files.writeString(dir.resolve("text.gguf"), "not a model at all, just some text");
        assertThatThrownBy(() -> GgufTable.read(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a GGUF");
    }
}
