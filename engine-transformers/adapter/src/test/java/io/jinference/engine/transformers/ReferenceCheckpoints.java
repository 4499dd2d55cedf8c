package io.jinference.engine.transformers;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code scripts/transformers-reference.sh} leaves the checkpoints made by transformers:
 * {@code $JINFERENCE_CACHE/transformers-reference/<arch>}. Without them the tests that need them are skipped, unless
 * {@code -Dtransformers.references.required=true} (set by the e2e script) turns that into a failure.
 */
final class ReferenceCheckpoints {
    private ReferenceCheckpoints() {
    }

    static Path root() {
        String cache = System.getProperty("jinference.cache");
        if (cache == null || cache.isBlank() || cache.startsWith("${")) {
            cache = System.getenv().getOrDefault("JINFERENCE_CACHE",
                    Path.of(System.getProperty("user.home"), ".cache", "jinference").toString());
        }
        return Path.of(cache, "transformers-reference");
    }

    static Path folder(String name) {
        Path folder = root().resolve(name);
        boolean present = Files.isRegularFile(folder.resolve("reference.json"));
        if (!present && Boolean.getBoolean("transformers.references.required")) {
            fail("No reference checkpoint at " + folder + ": run scripts/prepare-test-models.sh");
        }
        assumeTrue(present, "No reference checkpoint at " + folder + " (run scripts/transformers-reference.sh)");
        return folder;
    }
}
