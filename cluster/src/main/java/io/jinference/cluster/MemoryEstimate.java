package io.jinference.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How much memory a model needs once loaded, in three parts, as llama.cpp allocates them: the weights, the KV cache
 * and the compute buffer. The placement compares the total with a worker's free memory, so that a launch that fits
 * nowhere is refused up front instead of crashing with out-of-memory later.
 *
 * @param weightsBytes the tensor data
 * @param kvCacheBytes keys and values for every slot's context
 * @param computeBytes the scratch memory of one batch's graph and the logits it outputs
 * @param how the figures the parts come from, for the explanation
 */
public record MemoryEstimate(long weightsBytes, long kvCacheBytes, long computeBytes, String how) {
    /** llama-server's defaults as the llama.cpp server backend sets them (n_ctx at most 4096, 4 slots). */
    static final long DEFAULT_MAX_CONTEXT = 4096;
    static final long DEFAULT_PARALLEL = 4;
    /** llama.cpp's default micro-batch: the graph the compute buffer is reserved for has this many tokens. */
    static final long MICRO_BATCH = 512;

    public long totalBytes() {
        return weightsBytes + kvCacheBytes + computeBytes;
    }

    /**
     * The estimate for a GGUF model launched with these options ({@code n_ctx}, {@code n_parallel},
     * {@code cache_type_k}, {@code cache_type_v}, the launch keys the llama.cpp engine reads).
     *
     * @throws IllegalArgumentException when the file is no GGUF or an option is not a positive number
     */
    public static MemoryEstimate ofGguf(Path file, Map<String, Object> options) {
        GgufTable table;
        try {
            table = GgufTable.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("The model file cannot be read: " + e.getMessage(), e);
        }
        long layers = table.architectureInteger("block_count").orElse(0L);
        long heads = table.architectureInteger("attention.head_count").orElse(1L);
        long kvHeads = table.architectureInteger("attention.head_count_kv").orElse(heads);
        long embedding = table.architectureInteger("embedding_length").orElse(0L);
        long keyLength = table.architectureInteger("attention.key_length").orElse(heads == 0 ? 0 : embedding / heads);
        long valueLength = table.architectureInteger("attention.value_length").orElse(keyLength);
        long trained = table.architectureInteger("context_length").orElse(DEFAULT_MAX_CONTEXT);
        long vocabulary = table.arrayLength("tokenizer.ggml.tokens")
                .orElse(table.architectureInteger("vocab_size").orElse(0L));
        long feedForward = table.architectureInteger("feed_forward_length").orElse(4 * embedding);

        long context = positive(options, "n_ctx", Math.min(trained, DEFAULT_MAX_CONTEXT));
        long parallel = positive(options, "n_parallel", DEFAULT_PARALLEL);
        long cells = context * parallel;
        double keyBytes = elementBytes(options, "cache_type_k");
        double valueBytes = elementBytes(options, "cache_type_v");
        long kvCache = (long) (cells * layers * kvHeads * (keyLength * keyBytes + valueLength * valueBytes));
        long batch = Math.min(MICRO_BATCH, cells);
        // One micro-batch's activations in f32 as llama.cpp's graph allocator lays them out (measured on llama-server
        // b11434 for 135M and 1.4B llama models: 3 feed-forward and 5 embedding widths per token), the attention mask
        // in f16 over one slot's context, and the logits of one token per slot. Without flash attention (which
        // llama.cpp turns on where it can) the attention scores of every head are materialized as well.
        long compute = batch * 4 * (3 * feedForward + 5 * embedding) + batch * context * 2
                + parallel * vocabulary * 4;
        if (flashAttentionOff(options)) {
            compute += batch * context * heads * 4;
        }
        String how = String.format(Locale.ROOT, "weights %d tensors; KV cache %d cells (n_ctx %d x n_parallel %d) x "
                + "%d layers x %d KV heads x (%d + %d) dims; compute buffer for a %d-token batch, vocabulary %d",
                table.tensorCount(), cells, context, parallel, layers, kvHeads, keyLength, valueLength, batch,
                vocabulary);
        return new MemoryEstimate(table.tensorBytes(), kvCache, compute, how);
    }

    /**
     * The estimate for a Hugging Face checkpoint (a folder with {@code config.json} and safetensors weights, sharded
     * through {@code model.safetensors.index.json} or not, or one {@code .safetensors} file in such a folder)
     * launched on vLLM with these options ({@code dtype}, {@code kv_cache_dtype}, {@code max_model_len},
     * {@code max_num_seqs}, {@code kv_cache_memory_bytes}, {@code max_num_batched_tokens}).
     *
     * @throws IllegalArgumentException when it is no such checkpoint, a file is damaged or an option is not vLLM's
     */
    public static MemoryEstimate ofSafetensors(Path checkpoint, Map<String, Object> options) {
        return SafetensorsEstimate.of(checkpoint, options);
    }

    /** As JSON for the launch answer and the placement explanation. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("total_bytes", totalBytes());
        map.put("weights_bytes", weightsBytes);
        map.put("kv_cache_bytes", kvCacheBytes);
        map.put("compute_bytes", computeBytes);
        map.put("how", how);
        return map;
    }

    public static MemoryEstimate fromMap(Map<?, ?> map) {
        return new MemoryEstimate(number(map.get("weights_bytes")), number(map.get("kv_cache_bytes")),
                number(map.get("compute_bytes")), String.valueOf(map.get("how")));
    }

    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static boolean flashAttentionOff(Map<String, Object> options) {
        Object flash = options.get("flash_attn");
        return flash != null && List.of("false", "off", "0").contains(flash.toString().toLowerCase(Locale.ROOT));
    }

    /** Bytes per cached element for llama.cpp's cache types (blocks of 32 with a scale for the quantized ones). */
    private static double elementBytes(Map<String, Object> options, String key) {
        Object type = options.get(key);
        String name = type == null ? "f16" : type.toString().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "f32" -> 4;
            case "f16", "bf16" -> 2;
            case "q8_0" -> 34.0 / 32;
            case "q5_0" -> 22.0 / 32;
            case "q5_1" -> 24.0 / 32;
            case "q4_0", "iq4_nl" -> 18.0 / 32;
            case "q4_1" -> 20.0 / 32;
            default -> throw new IllegalArgumentException(key + " '" + type + "' is not a llama.cpp cache type "
                    + "(f32, f16, bf16, q8_0, q5_0, q5_1, q4_0, q4_1, iq4_nl)");
        };
    }

    static long positive(Map<String, Object> options, String key, long fallback) {
        Object value = options.get(key);
        if (value == null) {
            return fallback;
        }
        long number;
        try {
            number = value instanceof Number n ? n.longValue() : Long.parseLong(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a positive number, got '" + value + "'");
        }
        if (number <= 0) {
            throw new IllegalArgumentException(key + " must be a positive number, got " + number);
        }
        return number;
    }

    /** Bytes as MiB with one decimal, for messages. */
    public static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
