package io.jinference.engine.llamacpp;

import static io.jinference.engine.llamacpp.Models.load;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.testing.BrokenGguf;
import io.jinference.testing.RenderingEngineContext;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged and unsupported files fail to load with a clear LOAD_FAILED, and the JVM lives on. */
class BadModelFilesTest {

    @TempDir
    static Path dir;

    static LlamaCppEngine engine;
    static RenderingEngineContext context;
    static Path good;

    @BeforeAll
    static void setUp() {
        engine = new LlamaCppEngine(dir.resolve("native"));
        context = new RenderingEngineContext(dir);
        good = TinyGguf.writeDefault(dir.resolve("good.gguf"));
    }

    @Test
    void aFileThatIsNotGguf() {
        assertLoadFails(BrokenGguf.notGguf(dir.resolve("text.gguf")), "does not start with 'GGUF'");
        assertLoadFails(BrokenGguf.badMagic(good, dir.resolve("magic.gguf")), "does not start with 'GGUF'");
    }

    @Test
    void truncatedFiles() {
        assertLoadFails(BrokenGguf.truncatedHalf(good, dir.resolve("half.gguf")), "truncated");
        assertLoadFails(BrokenGguf.truncated(good, dir.resolve("header.gguf"), 200), "truncated");
        assertLoadFails(BrokenGguf.truncated(good, dir.resolve("tiny.gguf"), 10), "too short");
    }

    @Test
    void damagedHeaders() {
        assertLoadFails(BrokenGguf.hugeStringLength(good, dir.resolve("huge.gguf")), "damaged");
        assertLoadFails(BrokenGguf.withVersion(good, dir.resolve("v9.gguf"), 9), "GGUF version 9 is not supported");
        assertLoadFails(BrokenGguf.withVersion(good, dir.resolve("v1.gguf"), 1), "GGUF version 1 is not supported");
    }

    @Test
    void aMissingFile() {
        assertLoadFails(dir.resolve("absent.gguf"), "does not exist");
    }

    @Test
    void anArchitectureThisBuildCannotRun() {
        Path qwen3 = TinyGguf.builder().architecture("qwen3").write(dir.resolve("qwen3.gguf"));

        assertLoadFails(qwen3, "MODEL_UNSUPPORTED: the GGUF architecture 'qwen3'");
    }

    @Test
    void aKnownArchitectureWithTheWrongTensorsIsRefusedByLlamaCpp() {
        // passes the Java checks (valid GGUF, known architecture); llama.cpp itself refuses the tensors
        Path mamba = TinyGguf.builder().architecture("mamba").write(dir.resolve("mamba.gguf"));

        assertLoadFails(mamba, "llama.cpp could not load");
    }

    private static void assertLoadFails(Path file, String message) {
        assertThatThrownBy(() -> engine.load(load(file, null, Map.of("n_ctx", 128, "n_parallel", 1)), context))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.kind())
                                .isEqualTo(EngineException.Kind.LOAD_FAILED))
                .hasMessageContaining(message);
    }
}
