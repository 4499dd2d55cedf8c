package io.jinference.launcher;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The tiny checkpoints made by Hugging Face transformers itself ({@code scripts/transformers-reference.py}), under
 * {@code $JINFERENCE_CACHE/transformers-reference/<name>}. They live outside git, so a test that needs one fails
 * with the command that makes them.
 */
final class TransformersReferences {
    private TransformersReferences() {
    }

    /** The checkpoint folder {@code name} (e.g. {@code llama}), with its {@code reference.json}. */
    static Path folder(String name) {
        String cache = System.getenv().getOrDefault("JINFERENCE_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "jinference").toString());
        Path folder = Path.of(cache, "transformers-reference", name);
        if (!Files.isRegularFile(folder.resolve("reference.json"))) {
            fail("No reference checkpoint at " + folder + ": run scripts/prepare-test-models.sh (it makes them with "
                    + "Hugging Face transformers)");
        }
        return folder;
    }
}
