package io.jinference.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyGgufTest {

    @TempDir
    Path dir;

    @Test
    void writesAGgufV3HeaderWithAllTensorsAndMetadata() {
        byte[] bytes = TinyGguf.builder().toBytes();
        ByteBuffer header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);

        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("GGUF");
        assertThat(header.getInt(4)).isEqualTo(3);
        assertThat(header.getLong(8)).as("tensor count").isEqualTo(2 + 9 * TinyGguf.BLOCK_COUNT);
        assertThat(header.getLong(16)).as("metadata count").isEqualTo(15);
        assertThat(bytes.length).as("whole file is aligned").isEqualTo(bytes.length / 32 * 32);
        assertThat(bytes.length).isBetween(380_000, 480_000);
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        assertThat(TinyGguf.builder().seed(7).toBytes()).isEqualTo(TinyGguf.builder().seed(7).toBytes());
        assertThat(TinyGguf.builder().seed(7).toBytes()).isNotEqualTo(TinyGguf.builder().seed(8).toBytes());
    }

    @Test
    void embedsTheChatTemplateAndArchitectureWhenAsked() {
        String template = "{% for m in messages %}{{ m.content }}{% endfor %}";
        byte[] bytes = TinyGguf.builder().chatTemplate(template).architecture("mamba").toBytes();
        String text = new String(bytes, StandardCharsets.ISO_8859_1);

        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(16)).isEqualTo(16);
        assertThat(text).contains("tokenizer.chat_template").contains(template).contains("mamba.block_count");
    }

    @Test
    void vocabularyIsByteLevelSentencePiece() {
        assertThat(TinyGguf.vocabulary()).hasSize(TinyGguf.VOCAB_SIZE)
                .startsWith("<unk>", "<s>", "</s>", "<0x00>")
                .contains("<0xFF>")
                .endsWith("\u2581");
    }

    @Test
    void brokenCopiesAreDamagedAsDescribed() throws Exception {
        Path model = TinyGguf.writeDefault(dir.resolve("tiny.gguf"));
        long size = Files.size(model);

        assertThat(Files.size(BrokenGguf.truncatedHalf(model, dir.resolve("half.gguf")))).isEqualTo(size / 2);
        assertThat(Files.size(BrokenGguf.truncated(model, dir.resolve("t.gguf"), 10))).isEqualTo(10);
        assertThat(Files.readAllBytes(BrokenGguf.badMagic(model, dir.resolve("m.gguf"))))
                .startsWith("GGML".getBytes(StandardCharsets.US_ASCII));
        byte[] version = Files.readAllBytes(BrokenGguf.withVersion(model, dir.resolve("v.gguf"), 9));
        assertThat(ByteBuffer.wrap(version).order(ByteOrder.LITTLE_ENDIAN).getInt(4)).isEqualTo(9);
        byte[] huge = Files.readAllBytes(BrokenGguf.hugeStringLength(model, dir.resolve("h.gguf")));
        assertThat(ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).getLong(24)).isEqualTo(1L << 62);
        assertThat(Files.readString(BrokenGguf.notGguf(dir.resolve("text.gguf")))).startsWith("this is not");
    }
}
