package io.jinference.engine.transformers.python;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.engine.support.testing.RealEngineEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the Python backend's tests run on, made by {@code scripts/prepare-test-models.sh}: the transformers-ref venv
 * (transformers 4.57.1, torch 2.7.1 CPU) as the backend's runtime, and the tiny checkpoints with their greedy
 * references ({@code scripts/transformers-python-reference.py}). Missing, a test fails on CI ({@code CI=true}) and
 * skips elsewhere, naming the script.
 */
final class PythonBackendFixtures {
    static final String RUNTIME_PROPERTY = "jinference.python.transformers";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PythonBackendFixtures() {
    }

    static Path python() {
        Path python = RealEngineEnvironment.cache().resolve("venvs/transformers-ref/bin/python");
        require(Files.isExecutable(python), "The transformers-ref Python " + python);
        return python;
    }

    /** A reference checkpoint folder ({@code gemma2}, {@code phi3}, …) holding {@code reference.json}. */
    static Path checkpoint(String name) {
        Path folder = RealEngineEnvironment.cache().resolve("transformers-python-reference").resolve(name);
        require(Files.isRegularFile(folder.resolve("reference.json")), "The reference checkpoint " + folder);
        return folder;
    }

    static JsonNode reference(Path checkpoint) {
        try {
            return JSON.readTree(checkpoint.resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean present, String what) {
        String missing = what + " is missing: run scripts/prepare-test-models.sh";
        if (!present && "true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(missing + " (CI must provide it)");
        }
        assumeTrue(present, missing);
    }
}
