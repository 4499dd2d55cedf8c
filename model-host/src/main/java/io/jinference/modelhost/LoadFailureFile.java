package io.jinference.modelhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Why a model host could not load its model, as the engine said it: the model host writes it to
 * {@code model-host-failure.txt} in the model's work folder before it exits, and the server answers the launch
 * with it, instead of the log lines around it.
 */
public final class LoadFailureFile {
    static final String NAME = "model-host-failure.txt";

    private LoadFailureFile() {
    }

    /** Written by the model host. */
    public static void write(Path workDir, String reason) {
        Path partial = workDir.resolve(NAME + ".partial");
        try {
            Files.writeString(partial, reason, StandardCharsets.UTF_8);
            Files.move(partial, workDir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + workDir.resolve(NAME), e);
        }
    }

    static Optional<String> read(Path workDir) {
        Path file = workDir.resolve(NAME);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                    .filter(reason -> !reason.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** A failure of an earlier launch of the same UID says nothing about this one. */
    static void clear(Path workDir) {
        try {
            Files.deleteIfExists(workDir.resolve(NAME));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + workDir.resolve(NAME), e);
        }
    }
}
