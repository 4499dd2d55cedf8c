package io.jinference.engine.support.llamacpp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The architecture list comes from the source's LLM_ARCH_NAMES table, placeholders left out. */
final class ArchitectureNamesTest {
    @Test
    void readsTheTableWithoutItsPlaceholders() throws IOException {
        assertThat(ArchitectureNames.parse(MiniatureSdist.ARCH_SOURCE, "llama-arch.cpp"))
                .containsExactly("llama", "qwen3", "gemma3");
        assertThatThrownBy(() -> ArchitectureNames.parse("int x;", "x.cpp")).hasMessage(
                "x.cpp has no LLM_ARCH_NAMES table");
    }

    /** The b11434 tree CI extracts (under ~/.cache/jinference/llama.cpp), when this machine has it. */
    @Test
    void theB11434TreeNamesCurrentArchitectures() throws IOException {
        Path source = Path.of(System.getProperty("user.home"), ".cache/jinference/llama.cpp/b11434/source");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(source.resolve(ArchitectureNames.SOURCE_FILE)),
                "the b11434 source is not extracted here");

        assertThat(ArchitectureNames.read(source)).contains("llama", "qwen3", "qwen3moe", "gemma3", "gpt-oss")
                .doesNotContain("clip", "(unknown)").hasSizeGreaterThan(100);
    }
}
