package io.jinference.modelhost;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes {@link ModelHostSpec} as JSON; the server writes it atomically, the model host reads it. */
public final class ModelHostSpecFile {
    /** The file name in the model's work folder. */
    public static final String NAME = "model-host.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ModelHostSpecFile() {
    }

    public static Path write(Path workDir, ModelHostSpec spec) {
        Path file = workDir.resolve(NAME);
        Path partial = workDir.resolve(NAME + ".partial");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(partial.toFile(), spec);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    public static ModelHostSpec read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ModelHostSpec.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the model host's start file " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
