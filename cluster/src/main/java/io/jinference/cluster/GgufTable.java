package io.jinference.cluster;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a memory estimate needs from a GGUF file: its scalar metadata (architecture, layers, heads, head sizes,
 * vocabulary size) and its tensor table (each tensor's offset, from which the bytes of its data follow). Arrays are
 * skipped except for their length (the vocabulary's size is the length of {@code tokenizer.ggml.tokens}). Every
 * length is checked against the file's size, so a damaged file fails here with a message, never with an
 * out-of-memory error.
 */
public final class GgufTable {
    private static final int MAGIC = 0x46554747; // "GGUF" read little endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final long MAX_STRING_BYTES = 64L * 1024 * 1024;
    private static final int MAX_ARRAY_DEPTH = 8;

    private final Map<String, Object> metadata;
    private final long tensorBytes;
    private final int tensorCount;

    private GgufTable(Map<String, Object> metadata, long tensorBytes, int tensorCount) {
        this.metadata = metadata;
        this.tensorBytes = tensorBytes;
        this.tensorCount = tensorCount;
    }

    /** @throws IllegalArgumentException when the file is not a GGUF or is damaged */
    public static GgufTable read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(channel).read();
        }
    }

    /** The bytes of all tensor data: what llama.cpp maps or copies as the model's weights. */
    public long tensorBytes() {
        return tensorBytes;
    }

    public int tensorCount() {
        return tensorCount;
    }

    public String architecture() {
        return metadata.get("general.architecture") instanceof String s ? s : "";
    }

    /** An unsigned or signed integer entry, by its full key. */
    public Optional<Long> integer(String key) {
        return metadata.get(key) instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    /** An integer entry of this file's architecture, e.g. {@code block_count} for {@code llama.block_count}. */
    public Optional<Long> architectureInteger(String suffix) {
        return integer(architecture() + "." + suffix);
    }

    /** The length of an array entry (an array's elements are not kept). */
    public Optional<Long> arrayLength(String key) {
        return metadata.get(key) instanceof ArrayLength length ? Optional.of(length.value()) : Optional.empty();
    }

    private record ArrayLength(long value) {
    }

    /** Sequential little-endian reading with a bounds check on every read. */
    private static final class Reader {
        private final FileChannel channel;
        private final long size;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufferStart;

        Reader(FileChannel channel) throws IOException {
            this.channel = channel;
            this.size = channel.size();
            buffer.limit(0);
        }

        GgufTable read() throws IOException {
            if (size < 24 || int32() != MAGIC) {
                throw new IllegalArgumentException("The file is not a GGUF model (it does not start with 'GGUF')");
            }
            int version = int32();
            if (version != 2 && version != 3) {
                throw new IllegalArgumentException("GGUF version " + Integer.toUnsignedString(version)
                        + " is not supported (2 and 3 are)");
            }
            long tensors = int64();
            long entries = int64();
            if (tensors < 0 || entries < 0 || tensors > size / 8 || entries > size / 8) {
                throw damaged("its header counts more tensors and metadata entries than the file can hold");
            }
            Map<String, Object> metadata = new HashMap<>();
            for (long i = 0; i < entries; i++) {
                String key = string();
                metadata.put(key, value(int32(), 0));
            }
            long alignment = metadata.get("general.alignment") instanceof Long a ? a : DEFAULT_ALIGNMENT;
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
                throw damaged("general.alignment must be a power of two, got " + alignment);
            }
            List<Long> offsets = new ArrayList<>();
            for (long i = 0; i < tensors; i++) {
                string();
                int dimensions = int32();
                if (dimensions < 1 || dimensions > 4) {
                    throw damaged("a tensor has " + dimensions + " dimensions");
                }
                skip(8L * dimensions);
                int32();
                offsets.add(int64());
            }
            long dataStart = (position() + alignment - 1) / alignment * alignment;
            long maxOffset = offsets.stream().mapToLong(Long::longValue).max().orElse(0);
            if (dataStart > size || maxOffset < 0 || dataStart + maxOffset > size) {
                throw damaged("tensor data lies past the end of the file");
            }
            // The tensors fill the data section back to back (each padded to the alignment): its size is theirs.
            return new GgufTable(metadata, tensors == 0 ? 0 : size - dataStart, (int) tensors);
        }

        private Object value(int type, int depth) throws IOException {
            return switch (type) {
                case 0 -> (long) get(1).get() & 0xff;
                case 1 -> (long) get(1).get();
                case 2 -> (long) get(2).getShort() & 0xffff;
                case 3 -> (long) get(2).getShort();
                case 4 -> Integer.toUnsignedLong(get(4).getInt());
                case 5 -> (long) get(4).getInt();
                case 6 -> (double) get(4).getFloat();
                case 7 -> get(1).get() != 0;
                case 8 -> string();
                case 9 -> array(depth);
                case 10, 11 -> get(8).getLong();
                case 12 -> get(8).getDouble();
                default -> throw damaged("a metadata value has the unknown type " + Integer.toUnsignedString(type));
            };
        }

        private ArrayLength array(int depth) throws IOException {
            if (depth >= MAX_ARRAY_DEPTH) {
                throw damaged("arrays nest deeper than " + MAX_ARRAY_DEPTH);
            }
            int elementType = int32();
            long length = int64();
            if (length < 0 || length > size) {
                throw damaged("an array is longer than the file");
            }
            int fixed = switch (elementType) {
                case 0, 1, 7 -> 1;
                case 2, 3 -> 2;
                case 4, 5, 6 -> 4;
                case 10, 11, 12 -> 8;
                default -> 0;
            };
            if (fixed > 0) {
                skip(fixed * length);
            } else {
                for (long i = 0; i < length; i++) {
                    value(elementType, depth + 1);
                }
            }
            return new ArrayLength(length);
        }

        private String string() throws IOException {
            long length = int64();
            if (length < 0 || length > MAX_STRING_BYTES || position() + length > size) {
                throw damaged("a string is longer than the file");
            }
            byte[] bytes = new byte[(int) length];
            for (int done = 0; done < bytes.length; ) {
                int n = Math.min(bytes.length - done, buffer.capacity());
                get(n).get(bytes, done, n);
                done += n;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private int int32() throws IOException {
            return get(4).getInt();
        }

        private long int64() throws IOException {
            return get(8).getLong();
        }

        private long position() {
            return bufferStart + buffer.position();
        }

        private void skip(long bytes) throws IOException {
            long target = position() + bytes;
            if (bytes < 0 || target > size) {
                throw damaged("it ends inside its header");
            }
            if (target <= bufferStart + buffer.limit()) {
                buffer.position((int) (target - bufferStart));
                return;
            }
            bufferStart = target;
            buffer.clear().limit(0);
            channel.position(target);
        }

        /** The buffer, positioned at the next {@code bytes} bytes (at most the buffer's capacity). */
        private ByteBuffer get(int bytes) throws IOException {
            if (buffer.remaining() < bytes) {
                long start = position();
                if (start + bytes > size) {
                    throw damaged("it ends inside its header");
                }
                int kept = buffer.remaining();
                buffer.compact();
                channel.position(start + kept);
                while (buffer.position() < bytes && channel.read(buffer) > 0) {
                    // read on until the value is whole; the size check above guarantees it will be
                }
                buffer.flip();
                bufferStart = start;
            }
            return buffer;
        }

        private static IllegalArgumentException damaged(String why) {
            return new IllegalArgumentException("The GGUF file is damaged or truncated: " + why);
        }
    }
}
