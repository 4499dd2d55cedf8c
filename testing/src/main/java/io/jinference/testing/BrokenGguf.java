package io.jinference.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** Damaged copies of a GGUF file, for tests that a bad model file fails cleanly instead of crashing the JVM. */
public final class BrokenGguf {

    /** Offset of the first metadata key's length: magic (4) + version (4) + tensor count (8) + KV count (8). */
    private static final int FIRST_KEY_LENGTH_OFFSET = 24;

    private BrokenGguf() {
    }

    /** Copies the first {@code keptBytes} bytes of {@code source} to {@code target}. */
    public static Path truncated(Path source, Path target, long keptBytes) {
        byte[] bytes = read(source);
        if (keptBytes < 0 || keptBytes >= bytes.length) {
            throw new IllegalArgumentException("keptBytes must be in [0, " + bytes.length + "), got " + keptBytes);
        }
        return write(target, Arrays.copyOf(bytes, (int) keptBytes));
    }

    /** Copies {@code source} without its second half: the header is intact, the tensor data is cut off. */
    public static Path truncatedHalf(Path source, Path target) {
        return truncated(source, target, size(source) / 2);
    }

    /** Copies {@code source} with the magic "GGUF" replaced by "GGML". */
    public static Path badMagic(Path source, Path target) {
        byte[] bytes = read(source);
        System.arraycopy("GGML".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 4);
        return write(target, bytes);
    }

    /** Copies {@code source} with the version field set to {@code version} (GGUF has versions 1 to 3). */
    public static Path withVersion(Path source, Path target, int version) {
        byte[] bytes = read(source);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(4, version);
        return write(target, bytes);
    }

    /** Copies {@code source} with the first metadata key claiming a length of about 2^62 bytes. */
    public static Path hugeStringLength(Path source, Path target) {
        byte[] bytes = read(source);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(FIRST_KEY_LENGTH_OFFSET, 1L << 62);
        return write(target, bytes);
    }

    /**
     * Writes a GGUF file (version 3, no tensors) whose one metadata entry {@code deep} is an array of arrays nested
     * {@code depth} levels deep: a hostile file that a recursive reader cannot survive.
     */
    public static Path deeplyNestedArrays(Path target, int depth) {
        byte[] key = "deep".getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(24 + 8 + key.length + 4 + depth * 12 + 12).order(ByteOrder.LITTLE_ENDIAN);
        buffer.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(3).putLong(0).putLong(1);
        buffer.putLong(key.length).put(key).putInt(9);
        for (int level = 0; level < depth; level++) {
            buffer.putInt(9).putLong(1);
        }
        buffer.putInt(4).putLong(0);
        return write(target, Arrays.copyOf(buffer.array(), buffer.position()));
    }

    /** Writes a file that is not GGUF at all (plain text). */
    public static Path notGguf(Path target) {
        return write(target, "this is not a model file\n".getBytes(StandardCharsets.UTF_8));
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }
}
