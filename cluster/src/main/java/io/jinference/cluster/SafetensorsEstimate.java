package io.jinference.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The memory estimate of a Hugging Face checkpoint (safetensors and {@code config.json}) as vLLM loads it: the
 * weights from the safetensors headers in the dtype vLLM casts them to, the KV cache from the config, and one
 * batch's activations as overhead.
 */
final class SafetensorsEstimate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEX = "model.safetensors.index.json";
    private static final long MAX_CONFIG_BYTES = 16L * 1024 * 1024;
    /** vLLM pads the vocabulary of its embedding and output layers to a multiple of this. */
    private static final long VOCABULARY_PADDING = 64;
    /** vLLM's default batch for a profile run when the launch does not set {@code max_num_batched_tokens}. */
    private static final long DEFAULT_BATCHED_TOKENS = 2048;
    private static final Set<String> FLOAT_DTYPES = Set.of("F64", "F32", "F16", "BF16");

    private SafetensorsEstimate() {
    }

    /**
     * The estimate of a checkpoint folder (or a single {@code .safetensors} file with its folder's config) launched
     * with these options: {@code dtype}, {@code kv_cache_dtype}, {@code max_model_len}, {@code max_num_seqs},
     * {@code kv_cache_memory_bytes} and {@code max_num_batched_tokens}, the vLLM launch keys.
     *
     * @throws IllegalArgumentException when it holds no safetensors, its config is missing or damaged, or an option
     *     is not one vLLM takes
     */
    static MemoryEstimate of(Path checkpoint, Map<String, Object> options) {
        try {
            Path folder = Files.isDirectory(checkpoint) ? checkpoint : checkpoint.toAbsolutePath().getParent();
            List<Path> shards = Files.isDirectory(checkpoint) ? shards(folder) : List.of(checkpoint);
            return of(folder, shards, options);
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint cannot be read: " + e.getMessage(), e);
        }
    }

    private static MemoryEstimate of(Path folder, List<Path> shards, Map<String, Object> options) throws IOException {
        JsonNode config = config(folder);
        // Multimodal configs keep the language model's shape under text_config.
        JsonNode text = config.path("text_config").isObject() ? config.path("text_config") : config;
        boolean quantized = config.path("quantization_config").isObject();
        int dtypeBytes = modelDtypeBytes(options);

        long floatElements = 0;
        long keptBytes = 0;
        int tensors = 0;
        for (Path shard : shards) {
            SafetensorsHeader header = SafetensorsHeader.read(shard);
            tensors += header.tensorCount();
            for (Map.Entry<String, Long> entry : header.bytesByDtype().entrySet()) {
                // vLLM casts an unquantized checkpoint's floating-point tensors to the model's dtype; packed
                // integers, fp8 and a quantized checkpoint's scales stay as stored.
                if (!quantized && FLOAT_DTYPES.contains(entry.getKey())) {
                    floatElements += header.elementsByDtype().get(entry.getKey());
                } else {
                    keptBytes += entry.getValue();
                }
            }
        }
        long hidden = integer(text, "hidden_size", 0);
        long heads = integer(text, "num_attention_heads", 1);
        long kvHeads = integer(text, "num_key_value_heads", heads);
        long headDim = integer(text, "head_dim", heads == 0 ? 0 : hidden / heads);
        long layers = integer(text, "num_hidden_layers", 0);
        long vocabulary = integer(text, "vocab_size", 0);
        long intermediate = integer(text, "intermediate_size", 4 * hidden);
        long trained = integer(text, "max_position_embeddings", 2048);
        boolean tied = text.path("tie_word_embeddings").asBoolean(false);

        // vLLM's padded vocabulary rows and its rotary cos/sin table (positions x head size, one for the model).
        long padding = (roundUp(vocabulary, VOCABULARY_PADDING) - vocabulary) * hidden * (tied ? 1 : 2);
        long rotary = trained * headDim;
        long weights = (floatElements + padding + rotary) * dtypeBytes + keptBytes;

        long maxModelLen = MemoryEstimate.positive(options, "max_model_len", trained);
        long sequences = MemoryEstimate.positive(options, "max_num_seqs", 1);
        double kvElementBytes = kvCacheBytes(options, dtypeBytes);
        long perToken = (long) Math.ceil(2 * layers * kvHeads * headDim * kvElementBytes);
        long kvCache = options.get("kv_cache_memory_bytes") != null
                ? MemoryEstimate.positive(options, "kv_cache_memory_bytes", 0)
                : perToken * maxModelLen * sequences;

        // One profile batch's activations in the model's dtype (feed-forward and attention intermediates per
        // token) and the f32 logits of one token per sequence.
        long batch = MemoryEstimate.positive(options, "max_num_batched_tokens",
                Math.max(maxModelLen, DEFAULT_BATCHED_TOKENS));
        long activations = batch * dtypeBytes * (3 * intermediate + 5 * hidden) + sequences * vocabulary * 4;

        String how = String.format(Locale.ROOT, "weights %d tensors in %d safetensors file(s), %s; KV cache %s; "
                + "activations of a %d-token batch", tensors, shards.size(),
                quantized ? "quantized, as stored" : floatElements + " parameters at " + dtypeBytes + " bytes",
                options.get("kv_cache_memory_bytes") != null ? "as kv_cache_memory_bytes asks"
                        : String.format(Locale.ROOT, "%d tokens (max_model_len %d x max_num_seqs %d) x %d layers x "
                                + "%d KV heads x %d dims", maxModelLen * sequences, maxModelLen, sequences, layers,
                                kvHeads, headDim), batch);
        return new MemoryEstimate(weights, kvCache, activations, how);
    }

    /** The shards an index names (file names in the folder only), or else every safetensors file there. */
    private static List<Path> shards(Path folder) throws IOException {
        Path index = folder.resolve(INDEX);
        Set<String> names = new TreeSet<>();
        if (Files.isRegularFile(index)) {
            JsonNode weightMap = read(index).path("weight_map");
            for (Iterator<JsonNode> it = weightMap.elements(); it.hasNext(); ) {
                names.add(it.next().asText(""));
            }
            for (String name : names) {
                // The index is a file of the checkpoint, not of the server: a name that leaves the folder is refused.
                if (!name.endsWith(".safetensors") || name.contains("/") || name.contains("\\")
                        || name.startsWith(".")) {
                    throw new IllegalArgumentException(INDEX + " names a shard outside the checkpoint's folder");
                }
            }
        } else {
            try (Stream<Path> files = Files.list(folder)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".safetensors")).forEach(names::add);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("The checkpoint holds no safetensors weights");
        }
        List<Path> shards = new ArrayList<>();
        for (String name : names) {
            Path shard = folder.resolve(name);
            if (!Files.isRegularFile(shard)) {
                throw new IllegalArgumentException("A shard " + INDEX + " names is missing");
            }
            shards.add(shard);
        }
        return shards;
    }

    private static JsonNode config(Path folder) throws IOException {
        Path config = folder.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("The checkpoint has no config.json");
        }
        return read(config);
    }

    private static JsonNode read(Path file) throws IOException {
        if (Files.size(file) > MAX_CONFIG_BYTES) {
            throw new IllegalArgumentException(file.getFileName() + " is larger than " + MAX_CONFIG_BYTES + " bytes");
        }
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException notJson) {
            throw new IllegalArgumentException(file.getFileName() + " is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(file.getFileName() + " is not a JSON object");
        }
        return node;
    }

    /**
     * The bytes of the dtype vLLM runs the model in: the launch's {@code dtype}; with "auto" (the default) vLLM keeps
     * a 16-bit checkpoint's dtype and downcasts a float32 one to a 16-bit type, so the config's dtype does not
     * change the size.
     */
    private static int modelDtypeBytes(Map<String, Object> options) {
        Object asked = options.get("dtype");
        String name = asked == null ? "auto" : asked.toString().toLowerCase(Locale.ROOT);
        return switch (name) {
            case "auto", "half", "float16", "bfloat16" -> 2;
            case "float", "float32" -> 4;
            default -> throw new IllegalArgumentException("dtype '" + asked + "' is not a vLLM dtype "
                    + "(auto, half, float16, bfloat16, float, float32)");
        };
    }

    private static double kvCacheBytes(Map<String, Object> options, int dtypeBytes) {
        Object asked = options.get("kv_cache_dtype");
        String name = asked == null ? "auto" : asked.toString().toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            return dtypeBytes;
        }
        if (name.equals("bfloat16") || name.equals("float16")) {
            return 2;
        }
        if (name.startsWith("fp8")) {
            return 1;
        }
        throw new IllegalArgumentException("kv_cache_dtype '" + asked + "' is not a vLLM cache dtype "
                + "(auto, bfloat16, float16, fp8, fp8_e4m3, fp8_e5m2)");
    }

    private static long integer(JsonNode config, String key, long fallback) {
        JsonNode value = config.path(key);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToLong() || value.asLong() < 0) {
            throw new IllegalArgumentException("config.json's " + key + " is not a size");
        }
        return value.asLong();
    }

    private static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
