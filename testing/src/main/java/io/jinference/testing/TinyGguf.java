package io.jinference.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Writes a tiny llama-architecture GGUF model (about 0.4 MB) that llama.cpp loads and generates from: a byte-level
 * SentencePiece vocabulary of 260 tokens, embedding size 64, 2 layers, 4 heads, feed-forward size 128, all tensors
 * F32 with seeded random weights. Its output is random bytes, but it is deterministic for a seed and greedy sampling,
 * which is all tests of the serving machinery need.
 *
 * <pre>{@code
 * Path model = TinyGguf.builder().contextLength(512).chatTemplate(chatMl).write(dir.resolve("tiny.gguf"));
 * }</pre>
 *
 * Layout (GGUF v3, little endian), see java-stack-notes §3: header, key/value metadata, tensor infos, padding to
 * the alignment, tensor data with every tensor padded to the alignment.
 */
public final class TinyGguf {

    /** Vocabulary size: unk, bos, eos, 256 byte tokens, and the SentencePiece space token. */
    public static final int VOCAB_SIZE = 260;
    public static final int EMBEDDING_LENGTH = 64;
    public static final int BLOCK_COUNT = 2;
    public static final int FEED_FORWARD_LENGTH = 128;
    public static final int HEAD_COUNT = 4;
    public static final int BOS_TOKEN_ID = 1;
    public static final int EOS_TOKEN_ID = 2;

    private static final int ALIGNMENT = 32;
    private static final int GGUF_VERSION = 3;
    private static final int GGML_TYPE_F32 = 0;

    private static final int TOKEN_TYPE_NORMAL = 1;
    private static final int TOKEN_TYPE_UNKNOWN = 2;
    private static final int TOKEN_TYPE_CONTROL = 3;
    private static final int TOKEN_TYPE_BYTE = 6;

    private long seed = 42;
    private int contextLength = 256;
    private String chatTemplate;
    private String architecture = "llama";
    private String name = "tiny-llama";
    /** Metadata values that replace the written ones (same key) or are added; for damaged files. */
    private final Map<String, Consumer<GgufOut>> overrides = new LinkedHashMap<>();

    private TinyGguf() {
    }

    public static TinyGguf builder() {
        return new TinyGguf();
    }

    /** Writes the default tiny model (seed 42, context 256, no chat template) to {@code file}. */
    public static Path writeDefault(Path file) {
        return builder().write(file);
    }

    /** Seed of the random weights; the same seed gives the same file. */
    public TinyGguf seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The model's trained context length ({@code <arch>.context_length}); 256 unless set. */
    public TinyGguf contextLength(int contextLength) {
        if (contextLength <= 0) {
            throw new IllegalArgumentException("contextLength must be positive, got " + contextLength);
        }
        this.contextLength = contextLength;
        return this;
    }

    /** Embeds a Jinja chat template as {@code tokenizer.chat_template}; null (the default) embeds none. */
    public TinyGguf chatTemplate(String chatTemplate) {
        this.chatTemplate = chatTemplate;
        return this;
    }

    /**
     * The {@code general.architecture} value and prefix of the hyper-parameter keys. {@code llama} and {@code qwen3}
     * (whose layers add the per-head query and key norms {@code attn_q_norm}/{@code attn_k_norm}) make files a
     * current llama.cpp loads; anything else is how tests produce an "unsupported architecture" model.
     */
    public TinyGguf architecture(String architecture) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        return this;
    }

    /** The {@code general.name} value. */
    public TinyGguf name(String name) {
        this.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /**
     * Writes metadata {@code key} as an unsigned 32-bit integer, replacing the value the model would have (e.g.
     * {@code llama.block_count=0}) or adding the key ({@code llama.expert_count}). For damaged files.
     */
    public TinyGguf metadataU32(String key, int value) {
        overrides.put(key, out -> out.kvU32(key, value));
        return this;
    }

    /** Writes metadata {@code key} as a string (e.g. {@code tokenizer.ggml.model=gpt2}). For damaged files. */
    public TinyGguf metadataString(String key, String value) {
        overrides.put(key, out -> out.kvString(key, value));
        return this;
    }

    /** Writes metadata {@code key} as a 32-bit float (e.g. the RMS epsilon as NaN). For damaged files. */
    public TinyGguf metadataF32(String key, float value) {
        overrides.put(key, out -> out.kvF32(key, value));
        return this;
    }

    /**
     * Writes metadata {@code key} as an array of signed 32-bit integers (e.g. {@code tokenizer.ggml.tokens}, which
     * should be strings). For damaged files.
     */
    public TinyGguf metadataI32Array(String key, int... values) {
        int[] copy = values.clone();
        overrides.put(key, out -> out.kvI32Array(key, copy));
        return this;
    }

    /** Writes the model to {@code file} (parent folders are created) and returns {@code file}. */
    public Path write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, toBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write tiny GGUF to " + file, e);
        }
    }

    /** The whole GGUF file as bytes. */
    public byte[] toBytes() {
        List<Tensor> tensors = tensors(new Random(seed), architecture.equals("qwen3"));
        GgufOut out = new GgufOut();
        out.bytes("GGUF".getBytes(StandardCharsets.US_ASCII));
        out.u32(GGUF_VERSION);
        out.u64(tensors.size());
        out.u64(metadataCount());
        writeMetadata(out);
        long offset = 0;
        for (Tensor tensor : tensors) {
            out.string(tensor.name);
            out.u32(tensor.shape.length);
            for (long dimension : tensor.shape) {
                out.u64(dimension);
            }
            out.u32(GGML_TYPE_F32);
            out.u64(offset);
            offset += padded(tensor.values.length * 4L);
        }
        out.padTo(ALIGNMENT);
        for (Tensor tensor : tensors) {
            for (float value : tensor.values) {
                out.f32(value);
            }
            out.padTo(ALIGNMENT);
        }
        return out.toByteArray();
    }

    private int metadataCount() {
        return metadata().size();
    }

    private void writeMetadata(GgufOut out) {
        metadata().values().forEach(entry -> entry.accept(out));
    }

    /** Every metadata entry in file order, with the overrides applied. */
    private Map<String, Consumer<GgufOut>> metadata() {
        Map<String, Consumer<GgufOut>> entries = new LinkedHashMap<>();
        entries.put("general.architecture", out -> out.kvString("general.architecture", architecture));
        entries.put("general.name", out -> out.kvString("general.name", name));
        u32(entries, architecture + ".context_length", contextLength);
        u32(entries, architecture + ".embedding_length", EMBEDDING_LENGTH);
        u32(entries, architecture + ".block_count", BLOCK_COUNT);
        u32(entries, architecture + ".feed_forward_length", FEED_FORWARD_LENGTH);
        u32(entries, architecture + ".attention.head_count", HEAD_COUNT);
        String epsilon = architecture + ".attention.layer_norm_rms_epsilon";
        entries.put(epsilon, out -> out.kvF32(epsilon, 1e-5f));
        entries.put("tokenizer.ggml.model", out -> out.kvString("tokenizer.ggml.model", "llama"));
        entries.put("tokenizer.ggml.tokens", out -> out.kvStringArray("tokenizer.ggml.tokens", vocabulary()));
        entries.put("tokenizer.ggml.token_type", out -> out.kvI32Array("tokenizer.ggml.token_type", tokenTypes()));
        entries.put("tokenizer.ggml.add_space_prefix", out -> out.kvBool("tokenizer.ggml.add_space_prefix", false));
        u32(entries, "tokenizer.ggml.bos_token_id", BOS_TOKEN_ID);
        u32(entries, "tokenizer.ggml.eos_token_id", EOS_TOKEN_ID);
        u32(entries, "tokenizer.ggml.unknown_token_id", 0);
        if (chatTemplate != null) {
            entries.put("tokenizer.chat_template", out -> out.kvString("tokenizer.chat_template", chatTemplate));
        }
        entries.putAll(overrides);
        return entries;
    }

    private static void u32(Map<String, Consumer<GgufOut>> entries, String key, int value) {
        entries.put(key, out -> out.kvU32(key, value));
    }

    /** Token texts: {@code <unk>}, {@code <s>}, {@code </s>}, {@code <0x00>}…{@code <0xFF>}, and "▁". */
    static List<String> vocabulary() {
        List<String> tokens = new ArrayList<>(VOCAB_SIZE);
        tokens.add("<unk>");
        tokens.add("<s>");
        tokens.add("</s>");
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
        }
        tokens.add("\u2581");
        return tokens;
    }

    private static int[] tokenTypes() {
        int[] types = new int[VOCAB_SIZE];
        types[0] = TOKEN_TYPE_UNKNOWN;
        types[1] = TOKEN_TYPE_CONTROL;
        types[2] = TOKEN_TYPE_CONTROL;
        for (int i = 3; i < 259; i++) {
            types[i] = TOKEN_TYPE_BYTE;
        }
        types[259] = TOKEN_TYPE_NORMAL;
        return types;
    }

    private static List<Tensor> tensors(Random random, boolean queryKeyNorms) {
        int dim = EMBEDDING_LENGTH;
        int ff = FEED_FORWARD_LENGTH;
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(Tensor.random("token_embd.weight", random, dim, VOCAB_SIZE));
        tensors.add(Tensor.ones("output_norm.weight", dim));
        for (int layer = 0; layer < BLOCK_COUNT; layer++) {
            String block = "blk." + layer + ".";
            tensors.add(Tensor.ones(block + "attn_norm.weight", dim));
            tensors.add(Tensor.random(block + "attn_q.weight", random, dim, dim));
            tensors.add(Tensor.random(block + "attn_k.weight", random, dim, dim));
            tensors.add(Tensor.random(block + "attn_v.weight", random, dim, dim));
            tensors.add(Tensor.random(block + "attn_output.weight", random, dim, dim));
            if (queryKeyNorms) {
                tensors.add(Tensor.ones(block + "attn_q_norm.weight", dim / HEAD_COUNT));
                tensors.add(Tensor.ones(block + "attn_k_norm.weight", dim / HEAD_COUNT));
            }
            tensors.add(Tensor.ones(block + "ffn_norm.weight", dim));
            tensors.add(Tensor.random(block + "ffn_gate.weight", random, dim, ff));
            tensors.add(Tensor.random(block + "ffn_up.weight", random, dim, ff));
            tensors.add(Tensor.random(block + "ffn_down.weight", random, ff, dim));
        }
        return tensors;
    }

    private static long padded(long length) {
        return (length + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** A tensor with its ggml shape ({@code ne}, innermost dimension first) and F32 values. */
    private record Tensor(String name, long[] shape, float[] values) {

        static Tensor random(String name, Random random, int... shape) {
            float[] values = new float[elementCount(shape)];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (random.nextGaussian() * 0.02);
            }
            return new Tensor(name, longs(shape), values);
        }

        static Tensor ones(String name, int... shape) {
            float[] values = new float[elementCount(shape)];
            java.util.Arrays.fill(values, 1.0f);
            return new Tensor(name, longs(shape), values);
        }

        private static int elementCount(int[] shape) {
            int count = 1;
            for (int dimension : shape) {
                count *= dimension;
            }
            return count;
        }

        private static long[] longs(int[] shape) {
            long[] result = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                result[i] = shape[i];
            }
            return result;
        }
    }

    /** Little-endian GGUF primitive writer. */
    private static final class GgufOut {
        private static final int TYPE_U32 = 4;
        private static final int TYPE_I32 = 5;
        private static final int TYPE_F32 = 6;
        private static final int TYPE_BOOL = 7;
        private static final int TYPE_STRING = 8;
        private static final int TYPE_ARRAY = 9;

        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 19);
        private final ByteBuffer scratch = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

        void bytes(byte[] bytes) {
            buffer.write(bytes, 0, bytes.length);
        }

        void u32(long value) {
            scratch.clear();
            scratch.putInt((int) value);
            buffer.write(scratch.array(), 0, 4);
        }

        void u64(long value) {
            scratch.clear();
            scratch.putLong(value);
            buffer.write(scratch.array(), 0, 8);
        }

        void f32(float value) {
            scratch.clear();
            scratch.putFloat(value);
            buffer.write(scratch.array(), 0, 4);
        }

        void string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            u64(utf8.length);
            bytes(utf8);
        }

        void padTo(int alignment) {
            while (buffer.size() % alignment != 0) {
                buffer.write(0);
            }
        }

        void kvString(String key, String value) {
            string(key);
            u32(TYPE_STRING);
            string(value);
        }

        void kvU32(String key, int value) {
            string(key);
            u32(TYPE_U32);
            u32(value);
        }

        void kvF32(String key, float value) {
            string(key);
            u32(TYPE_F32);
            f32(value);
        }

        void kvBool(String key, boolean value) {
            string(key);
            u32(TYPE_BOOL);
            buffer.write(value ? 1 : 0);
        }

        void kvStringArray(String key, List<String> values) {
            arrayHeader(key, TYPE_STRING, values.size());
            values.forEach(this::string);
        }

        void kvI32Array(String key, int[] values) {
            arrayHeader(key, TYPE_I32, values.length);
            for (int value : values) {
                u32(value);
            }
        }

        private void arrayHeader(String key, int elementType, long length) {
            string(key);
            u32(TYPE_ARRAY);
            u32(elementType);
            u64(length);
        }

        byte[] toByteArray() {
            return buffer.toByteArray();
        }
    }
}
