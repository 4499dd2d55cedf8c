package io.jinference.engine.llamacpp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and checks the header of a GGUF file in Java before it is handed to native code, which trusts it: the magic,
 * the version (2 or 3), every metadata entry, every tensor's type and shape, and that each tensor's data lies inside
 * the file. A damaged or truncated file therefore fails here with a clear message instead of crashing the JVM.
 *
 * <p>Keeps scalar and string metadata; of arrays it keeps only the token texts (for the BOS/EOS strings that chat
 * templates use) and otherwise skips them.
 */
final class GgufHeader {

    private static final int MAGIC = 0x46554747; // "GGUF" read little endian
    private static final int DEFAULT_ALIGNMENT = 32;
    private static final int MAX_DIMENSIONS = 4;
    /** No real key or string value comes near this; a larger length means a damaged file. */
    private static final long MAX_STRING_BYTES = 64L * 1024 * 1024;
    /**
     * Arrays of arrays deeper than this are refused: llama.cpp's own models nest none, and reading an attacker's
     * 200,000 levels recursively would overflow the stack.
     */
    static final int MAX_ARRAY_DEPTH = 8;
    private static final String TOKENS_KEY = "tokenizer.ggml.tokens";

    private final int version;
    private final Map<String, Object> metadata;
    private final List<String> tokens;
    private final int tensorCount;
    private final Map<GgmlType, Integer> tensorTypes;

    private GgufHeader(int version, Map<String, Object> metadata, List<String> tokens, int tensorCount,
            Map<GgmlType, Integer> tensorTypes) {
        this.version = version;
        this.metadata = metadata;
        this.tokens = tokens;
        this.tensorCount = tensorCount;
        this.tensorTypes = tensorTypes;
    }

    /**
     * Reads and checks {@code file}.
     *
     * @throws GgufFormatException when the file is not a GGUF, is damaged or truncated
     * @throws IOException when it cannot be read at all
     */
    static GgufHeader read(Path file) throws IOException, GgufFormatException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Parser(channel).parse();
        }
    }

    int version() {
        return version;
    }

    int tensorCount() {
        return tensorCount;
    }

    /** How many tensors use each element type. */
    Map<GgmlType, Integer> tensorTypes() {
        return Collections.unmodifiableMap(tensorTypes);
    }

    /** {@code general.architecture}, e.g. {@code llama}; empty when missing. */
    String architecture() {
        return string("general.architecture").orElse("");
    }

    Optional<String> string(String key) {
        return metadata.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    Optional<Long> integer(String key) {
        return metadata.get(key) instanceof Long l ? Optional.of(l) : Optional.empty();
    }

    Optional<Boolean> bool(String key) {
        return metadata.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /** {@code <arch>.context_length}: the context the model was trained for. */
    Optional<Long> contextLength() {
        return integer(architecture() + ".context_length");
    }

    /** {@code tokenizer.chat_template}, when the file embeds one. */
    Optional<String> chatTemplate() {
        return string("tokenizer.chat_template").filter(template -> !template.isBlank());
    }

    /** The text of the token named by the id under {@code key} (e.g. {@code tokenizer.ggml.bos_token_id}). */
    Optional<String> tokenText(String key) {
        return integer(key).filter(id -> id >= 0 && id < tokens.size()).map(id -> tokens.get(id.intValue()));
    }

    /** Sequential little-endian reader over the file with bounds checks on every read. */
    private static final class Parser {
        private final FileChannel channel;
        private final long fileSize;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufferStart;

        Parser(FileChannel channel) throws IOException {
            this.channel = channel;
            this.fileSize = channel.size();
            buffer.limit(0);
        }

        GgufHeader parse() throws IOException, GgufFormatException {
            if (fileSize < 24) {
                throw new GgufFormatException("The file is too short to be a GGUF model (" + fileSize + " bytes)");
            }
            if (int32() != MAGIC) {
                throw new GgufFormatException("The file is not a GGUF model (it does not start with 'GGUF')");
            }
            int version = int32();
            if (version != 2 && version != 3) {
                throw new GgufFormatException("GGUF version " + Integer.toUnsignedString(version)
                        + " is not supported (llama.cpp b4916 reads versions 2 and 3)");
            }
            long tensorCount = int64();
            long metadataCount = int64();
            // every tensor info and metadata entry takes at least 8 bytes, so larger counts cannot fit the file
            if (tensorCount < 0 || metadataCount < 0 || tensorCount > fileSize / 8 || metadataCount > fileSize / 8) {
                throw new GgufFormatException("The GGUF file is truncated or damaged: its header lists "
                        + Long.toUnsignedString(tensorCount) + " tensors and " + Long.toUnsignedString(metadataCount)
                        + " metadata entries, more than its " + fileSize + " bytes can hold");
            }
            Map<String, Object> metadata = new HashMap<>();
            List<String> tokens = new ArrayList<>();
            for (long i = 0; i < metadataCount; i++) {
                String key = string("metadata key #" + i);
                metadata.put(key, value(key, int32(), key.equals(TOKENS_KEY) ? tokens : null, 0));
            }
            long alignment = metadata.get("general.alignment") instanceof Long a ? a : DEFAULT_ALIGNMENT;
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0) {
                throw new GgufFormatException("general.alignment must be a power of two, got " + alignment);
            }
            List<long[]> extents = new ArrayList<>();
            Map<GgmlType, Integer> types = new HashMap<>();
            for (long i = 0; i < tensorCount; i++) {
                extents.add(tensorExtent(types));
            }
            long dataStart = alignUp(position(), alignment);
            for (long[] extent : extents) {
                long end = dataStart + extent[0] + extent[1];
                if (extent[0] % alignment != 0 || end > fileSize || end < dataStart) {
                    throw new GgufFormatException("The GGUF file is truncated or damaged: tensor data ends at byte "
                            + Long.toUnsignedString(end) + " but the file has " + fileSize + " bytes");
                }
            }
            return new GgufHeader(version, metadata, tokens, (int) tensorCount, types);
        }

        /** Reads one tensor info; returns {offset, size in bytes}. */
        private long[] tensorExtent(Map<GgmlType, Integer> types) throws IOException, GgufFormatException {
            String name = string("tensor name");
            int dimensions = int32();
            if (dimensions < 1 || dimensions > MAX_DIMENSIONS) {
                throw new GgufFormatException("Tensor '" + name + "' has " + dimensions + " dimensions (1 to 4 allowed)");
            }
            long elements = 1;
            long rowLength = 0;
            for (int d = 0; d < dimensions; d++) {
                long size = int64();
                if (size <= 0 || elements > Long.MAX_VALUE / size) {
                    throw new GgufFormatException("Tensor '" + name + "' has an invalid shape");
                }
                if (d == 0) {
                    rowLength = size;
                }
                elements *= size;
            }
            int typeId = int32();
            GgmlType type = GgmlType.byId(Integer.toUnsignedLong(typeId));
            if (type == null) {
                throw new GgufFormatException("Tensor '" + name + "' has the ggml type " + Integer.toUnsignedString(typeId)
                        + ", which llama.cpp b4916 cannot read");
            }
            if (rowLength % type.blockSize != 0) {
                throw new GgufFormatException("Tensor '" + name + "' rows of " + rowLength
                        + " elements do not fit the " + type + " block size " + type.blockSize);
            }
            long offset = int64();
            if (offset < 0) {
                throw new GgufFormatException("Tensor '" + name + "' has an invalid data offset");
            }
            types.merge(type, 1, Integer::sum);
            return new long[] {offset, elements / type.blockSize * type.bytesPerBlock};
        }

        private Object value(String key, int type, List<String> keepStrings, int depth)
                throws IOException, GgufFormatException {
            switch (type) {
                case 0: return (long) uint8();
                case 1: return (long) (byte) uint8();
                case 2: return (long) Short.toUnsignedInt(int16());
                case 3: return (long) int16();
                case 4: return Integer.toUnsignedLong(int32());
                case 5: return (long) int32();
                case 6: return (double) Float.intBitsToFloat(int32());
                case 7: return uint8() != 0;
                case 8: return string("value of " + key);
                case 9: return skipArray(key, keepStrings, depth + 1);
                case 10: case 11: return int64();
                case 12: return Double.longBitsToDouble(int64());
                default:
                    throw new GgufFormatException("Metadata '" + key + "' has the unknown value type " + type);
            }
        }

        /** Reads past an array; string elements are added to {@code keepStrings} when it is given. */
        private Object skipArray(String key, List<String> keepStrings, int depth)
                throws IOException, GgufFormatException {
            if (depth > MAX_ARRAY_DEPTH) {
                throw new GgufFormatException("Metadata '" + key + "' nests arrays more than " + MAX_ARRAY_DEPTH
                        + " deep; a GGUF model has no such metadata");
            }
            int elementType = int32();
            long count = int64();
            if (count < 0 || count > fileSize) {
                throw new GgufFormatException("Metadata array '" + key + "' claims " + Long.toUnsignedString(count)
                        + " elements, more than the file can hold");
            }
            int fixedSize = fixedSize(elementType);
            if (fixedSize > 0) {
                skip(count * fixedSize, "array " + key);
            } else if (elementType == 8) {
                for (long i = 0; i < count; i++) {
                    String element = string("element of " + key);
                    if (keepStrings != null) {
                        keepStrings.add(element);
                    }
                }
            } else {
                for (long i = 0; i < count; i++) {
                    value(key, elementType, null, depth);
                }
            }
            return count;
        }

        private static int fixedSize(int type) {
            switch (type) {
                case 0: case 1: case 7: return 1;
                case 2: case 3: return 2;
                case 4: case 5: case 6: return 4;
                case 10: case 11: case 12: return 8;
                default: return 0;
            }
        }

        private String string(String what) throws IOException, GgufFormatException {
            long length = int64();
            if (length < 0 || length > MAX_STRING_BYTES || length > fileSize - position()) {
                throw new GgufFormatException("The GGUF file is truncated or damaged: the " + what + " claims "
                        + Long.toUnsignedString(length) + " bytes at offset " + (position() - 8));
            }
            byte[] bytes = new byte[(int) length];
            read(bytes, what);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                // token texts of byte-level vocabularies may hold partial UTF-8; keep them readable
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }

        private long position() {
            return bufferStart + buffer.position();
        }

        private int uint8() throws IOException, GgufFormatException {
            ensure(1, "a value");
            return Byte.toUnsignedInt(buffer.get());
        }

        private short int16() throws IOException, GgufFormatException {
            ensure(2, "a value");
            return buffer.getShort();
        }

        private int int32() throws IOException, GgufFormatException {
            ensure(4, "a value");
            return buffer.getInt();
        }

        private long int64() throws IOException, GgufFormatException {
            ensure(8, "a value");
            return buffer.getLong();
        }

        private void read(byte[] target, String what) throws IOException, GgufFormatException {
            int done = 0;
            while (done < target.length) {
                ensure(1, what);
                int n = Math.min(buffer.remaining(), target.length - done);
                buffer.get(target, done, n);
                done += n;
            }
        }

        private void skip(long bytes, String what) throws IOException, GgufFormatException {
            long target = position() + bytes;
            if (bytes < 0 || target > fileSize) {
                throw truncated(what);
            }
            if (target <= bufferStart + buffer.limit()) {
                buffer.position((int) (target - bufferStart));
            } else {
                bufferStart = target;
                buffer.clear().limit(0);
            }
        }

        /** Makes at least {@code bytes} (at most the buffer size) readable, or fails as truncated. */
        private void ensure(int bytes, String what) throws IOException, GgufFormatException {
            if (buffer.remaining() >= bytes) {
                return;
            }
            long position = position();
            buffer.compact();
            bufferStart = position;
            while (buffer.position() < bytes) {
                int n = channel.read(buffer, bufferStart + buffer.position());
                if (n <= 0) {
                    buffer.flip();
                    throw truncated(what);
                }
            }
            buffer.flip();
        }

        private GgufFormatException truncated(String what) {
            return new GgufFormatException("The GGUF file is truncated: it ends at byte " + fileSize
                    + " while reading " + what);
        }

        private static long alignUp(long value, long alignment) {
            return (value + alignment - 1) / alignment * alignment;
        }
    }
}
