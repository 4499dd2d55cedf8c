package io.jinference.engine.llamacpp.server;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jinference.engine.support.llamacpp.LlamaServerLocator;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code llama-server} the tests run, named by {@code $JINFERENCE_LLAMA_SERVER} (CI builds it with
 * {@code jinf runtimes install llama.cpp} and exports it). Missing, a test fails on CI ({@code CI=true}) and skips
 * elsewhere, naming the command that provides it.
 */
final class RealLlamaServer {
    private RealLlamaServer() {
    }

    static Path require() {
        String configured = System.getenv(LlamaServerLocator.VARIABLE);
        boolean present = configured != null && !configured.isBlank() && Files.isExecutable(Path.of(configured));
        String missing = "No llama-server: set " + LlamaServerLocator.VARIABLE + " to a llama-server binary (build one"
                + " with `jinf runtimes install llama.cpp`; it prints the path)";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " — CI must provide it");
        }
        assumeTrue(present, missing);
        return Path.of(configured);
    }

    /** SmolLM2-135M-Instruct Q4_1 from scripts/fetch-smollm2.sh, or {@code $JINFERENCE_SMOLLM2}; fails when absent. */
    static Path smolLm2() {
        String configured = System.getenv("JINFERENCE_SMOLLM2");
        Path file = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/jinference/models/SmolLM2-135M-Instruct.Q4_1.gguf");
        if (!Files.isRegularFile(file)) {
            fail("SmolLM2 GGUF missing at " + file + ": run scripts/fetch-smollm2.sh or set JINFERENCE_SMOLLM2");
        }
        return file;
    }
}
