package io.jinference.engine.llamacpp.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The few metadata values of a GGUF file the command line depends on, read from its header without loading it:
 * {@code general.architecture} (checked against the llama-server build's list), {@code <arch>.context_length}
 * (the default context), whether {@code <arch>.pooling_type} is set (a chat model used for embeddings needs a
 * pooling) and {@code tokenizer.chat_template} (checked to finish rendering before llama-server renders it). Values that are not needed are skipped; lengths are bounded so a damaged header cannot make it allocate.
 */
record GgufFacts(String architecture, OptionalLong contextLength, boolean hasPoolingType,
        Optional<String> chatTemplate) {
    private static final int MAX_STRING = 64 << 20;
    private static final long MAX_KEYS = 1 << 20;

    static GgufFacts read(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            byte[] magic = in.readNBytes(4);
            if (!"GGUF".equals(new String(magic, StandardCharsets.US_ASCII))) {
                throw new IOException("not a GGUF file (no GGUF magic)");
            }
            int version = Integer.reverseBytes(in.readInt());
            if (version != 2 && version != 3) {
                throw new IOException("GGUF version " + version + " (only 2 and 3 are read)");
            }
            u64(in); // tensor count
            long keys = u64(in);
            if (keys < 0 || keys > MAX_KEYS) {
                throw new IOException("GGUF header claims " + keys + " metadata keys");
            }
            String architecture = null;
            OptionalLong context = OptionalLong.empty();
            boolean pooling = false;
            Optional<String> chatTemplate = Optional.empty();
            for (long i = 0; i < keys; i++) {
                String key = string(in);
                int type = Integer.reverseBytes(in.readInt());
                if (key.equals("general.architecture") && type == 8) {
                    architecture = string(in);
                } else if (key.equals("tokenizer.chat_template") && type == 8) {
                    chatTemplate = Optional.of(string(in));
                } else if (architecture != null && key.equals(architecture + ".context_length")) {
                    context = OptionalLong.of(integer(in, type));
                } else {
                    pooling |= architecture != null && key.equals(architecture + ".pooling_type");
                    skip(in, type);
                }
            }
            if (architecture == null) {
                throw new IOException("GGUF metadata has no general.architecture");
            }
            return new GgufFacts(architecture, context, pooling, chatTemplate);
        } catch (EOFException e) {
            throw new IOException("the GGUF header ends early");
        }
    }

    private static long integer(DataInputStream in, int type) throws IOException {
        return switch (type) {
            case 4 -> Integer.toUnsignedLong(Integer.reverseBytes(in.readInt()));
            case 5 -> Integer.reverseBytes(in.readInt());
            case 10, 11 -> u64(in);
            default -> throw new IOException("context_length has GGUF type " + type + ", not an integer");
        };
    }

    private static void skip(DataInputStream in, int type) throws IOException {
        switch (type) {
            case 0, 1, 7 -> skipBytes(in, 1);
            case 2, 3 -> skipBytes(in, 2);
            case 4, 5, 6 -> skipBytes(in, 4);
            case 10, 11, 12 -> skipBytes(in, 8);
            case 8 -> skipBytes(in, length(in));
            case 9 -> {
                int itemType = Integer.reverseBytes(in.readInt());
                long count = u64(in);
                if (count < 0 || itemType == 9) {
                    throw new IOException("GGUF array of " + count + " items of type " + itemType);
                }
                for (long i = 0; i < count; i++) {
                    skip(in, itemType);
                }
            }
            default -> throw new IOException("unknown GGUF value type " + type);
        }
    }

    private static String string(DataInputStream in) throws IOException {
        return new String(in.readNBytes((int) length(in)), StandardCharsets.UTF_8);
    }

    private static long length(DataInputStream in) throws IOException {
        long length = u64(in);
        if (length < 0 || length > MAX_STRING) {
            throw new IOException("GGUF string of " + length + " bytes");
        }
        return length;
    }

    private static long u64(DataInputStream in) throws IOException {
        return Long.reverseBytes(in.readLong());
    }

    private static void skipBytes(InputStream in, long count) throws IOException {
        long left = count;
        while (left > 0) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                if (in.read() < 0) {
                    throw new EOFException();
                }
                skipped = 1;
            }
            left -= skipped;
        }
    }
}
