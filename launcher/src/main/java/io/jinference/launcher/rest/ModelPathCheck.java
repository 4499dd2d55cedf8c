package io.jinference.launcher.rest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * A launch's {@code model_path} names a file on the server, and whoever may launch must not learn from the answer
 * which other files exist or what they hold. So a path that names no model gets one answer whether it is missing,
 * unreadable or some other file (such as {@code /etc/hostname}), and nothing of the file is ever echoed.
 * A model is a folder (Hugging Face checkpoints, MLX), a GGUF file (recognised by its magic bytes) or a single-file
 * format that engines load by name ({@code .onnx}, {@code .safetensors}).
 */
final class ModelPathCheck {
    private static final byte[] GGUF_MAGIC = "GGUF".getBytes(StandardCharsets.US_ASCII);
    private static final Set<String> SINGLE_FILE_SUFFIXES = Set.of(".onnx", ".safetensors");

    private ModelPathCheck() {
    }

    /** @throws ApiError 400, the same for every path that names no loadable model */
    static void requireModel(String modelPath) {
        if (modelPath == null || modelPath.isBlank()) {
            return;
        }
        if (!isModel(modelPath)) {
            throw ApiError.badRequest("model_path names no model this server can load: give a GGUF file or a "
                    + "model folder the server can read");
        }
    }

    private static boolean isModel(String modelPath) {
        Path path;
        try {
            path = Path.of(modelPath).toAbsolutePath();
        } catch (InvalidPathException e) {
            return false;
        }
        if (Files.isDirectory(path)) {
            return Files.isReadable(path);
        }
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            return false;
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        return SINGLE_FILE_SUFFIXES.stream().anyMatch(name::endsWith) || startsWithGgufMagic(path);
    }

    private static boolean startsWithGgufMagic(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return Arrays.equals(in.readNBytes(GGUF_MAGIC.length), GGUF_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }
}
