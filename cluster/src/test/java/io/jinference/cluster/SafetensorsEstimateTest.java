package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safetensors estimate on checkpoints written here with the shapes of scripts/make-tiny-llama.py's Llama (whose
 * figures VllmMemoryEstimateTest checks against a real vLLM), sharded and not, and on damaged ones.
 */
final class SafetensorsEstimateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int HIDDEN = 128;
    private static final int LAYERS = 2;
    private static final int HEADS = 2;
    private static final int HEAD_DIM = 64;
    private static final int INTERMEDIATE = 256;
    private static final int VOCABULARY = 419;
    private static final int POSITIONS = 2048;

    @TempDir
    Path dir;

    @Test
    void weightsAreTheParametersInVllmsDtypeAndTheKvCacheComesFromTheConfig() throws IOException {
        Path checkpoint = checkpoint("single", 1);
        MemoryEstimate estimate = MemoryEstimate.ofSafetensors(checkpoint, Map.of("max_model_len", 1024));
        long parameters = parameters();
        long padding = (448 - VOCABULARY) * HIDDEN * 2L; // embedding and lm_head padded to 64 rows
        long rotary = (long) POSITIONS * HEAD_DIM;
        // float32 on disk, bf16 in vLLM by its "auto" dtype
        assertThat(estimate.weightsBytes()).isEqualTo((parameters + padding + rotary) * 2);
        // keys and values, per layer and KV head, in bf16, for 1024 tokens of one sequence
        assertThat(estimate.kvCacheBytes()).isEqualTo(1024L * 2 * LAYERS * HEADS * HEAD_DIM * 2);
        assertThat(estimate.computeBytes()).isPositive();
        assertThat(estimate.how()).contains("1 safetensors file(s)").contains("max_model_len 1024 x max_num_seqs 1");

        MemoryEstimate float32 = MemoryEstimate.ofSafetensors(checkpoint, Map.of("dtype", "float32"));
        assertThat(float32.weightsBytes()).isEqualTo(2 * estimate.weightsBytes());
        MemoryEstimate pool = MemoryEstimate.ofSafetensors(checkpoint, Map.of("kv_cache_memory_bytes", 8388608,
                "max_num_seqs", 4));
        assertThat(pool.kvCacheBytes()).isEqualTo(8388608);
        MemoryEstimate fp8 = MemoryEstimate.ofSafetensors(checkpoint, Map.of("max_model_len", "1024",
                "max_num_seqs", 2, "kv_cache_dtype", "fp8"));
        assertThat(fp8.kvCacheBytes()).isEqualTo(estimate.kvCacheBytes());
    }

    @Test
    void shardsAreFoundThroughTheIndex() throws IOException {
        MemoryEstimate single = MemoryEstimate.ofSafetensors(checkpoint("single", 1), Map.of());
        Path sharded = checkpoint("sharded", 3);
        MemoryEstimate estimate = MemoryEstimate.ofSafetensors(sharded, Map.of());
        assertThat(estimate.weightsBytes()).isEqualTo(single.weightsBytes());
        assertThat(estimate.how()).contains("3 safetensors file(s)");
        // one shard given as the model path: its tensors only
        assertThat(MemoryEstimate.ofSafetensors(sharded.resolve("model-00001-of-00003.safetensors"), Map.of())
                .weightsBytes()).isLessThan(single.weightsBytes());
    }

    @Test
    void anIndexNamingAFileOutsideTheFolderIsRefused() throws IOException {
        Path checkpoint = checkpoint("escape", 1);
        Files.writeString(checkpoint.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"lm_head.weight\": \"../single/model.safetensors\"}}");
        assertThatThrownBy(() -> MemoryEstimate.ofSafetensors(checkpoint, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the checkpoint");
    }

    @Test
    void damagedFilesAndUnknownOptionsAreRefusedWithAReason() throws IOException {
        Path checkpoint = checkpoint("damaged", 1);
        Path weights = checkpoint.resolve("model.safetensors");
        byte[] whole = Files.readAllBytes(weights);
        Files.write(weights, java.util.Arrays.copyOf(whole, 100));
        assertThatThrownBy(() -> SafetensorsHeader.read(weights)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("damaged or truncated");
        Files.writeString(weights, "not a model at all, just some text");
        assertThatThrownBy(() -> SafetensorsHeader.read(weights)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("damaged or truncated");
        Files.write(weights, whole);
        assertThatThrownBy(() -> MemoryEstimate.ofSafetensors(checkpoint, Map.of("dtype", "int3")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a vLLM dtype");
        assertThatThrownBy(() -> MemoryEstimate.ofSafetensors(checkpoint, Map.of("max_model_len", 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive number");
        Files.delete(checkpoint.resolve("config.json"));
        assertThatThrownBy(() -> MemoryEstimate.ofSafetensors(checkpoint, Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no config.json");
    }

    /** The tensors of the tiny Llama, by name and shape. */
    private static Map<String, List<Integer>> tensors() {
        Map<String, List<Integer>> tensors = new LinkedHashMap<>();
        tensors.put("model.embed_tokens.weight", List.of(VOCABULARY, HIDDEN));
        for (int layer = 0; layer < LAYERS; layer++) {
            String prefix = "model.layers." + layer + ".";
            for (String projection : List.of("q_proj", "k_proj", "v_proj", "o_proj")) {
                tensors.put(prefix + "self_attn." + projection + ".weight", List.of(HEADS * HEAD_DIM, HIDDEN));
            }
            tensors.put(prefix + "mlp.gate_proj.weight", List.of(INTERMEDIATE, HIDDEN));
            tensors.put(prefix + "mlp.up_proj.weight", List.of(INTERMEDIATE, HIDDEN));
            tensors.put(prefix + "mlp.down_proj.weight", List.of(HIDDEN, INTERMEDIATE));
            tensors.put(prefix + "input_layernorm.weight", List.of(HIDDEN));
            tensors.put(prefix + "post_attention_layernorm.weight", List.of(HIDDEN));
        }
        tensors.put("model.norm.weight", List.of(HIDDEN));
        tensors.put("lm_head.weight", List.of(VOCABULARY, HIDDEN));
        return tensors;
    }

    private static long parameters() {
        return tensors().values().stream().mapToLong(shape -> shape.stream().mapToLong(Integer::longValue)
                .reduce(1, (a, b) -> a * b)).sum();
    }

    /** A checkpoint of F32 zeros in {@code shards} files (with an index when more than one) and its config. */
    private Path checkpoint(String name, int shards) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        ObjectNode config = JSON.createObjectNode().put("model_type", "llama").put("hidden_size", HIDDEN)
                .put("intermediate_size", INTERMEDIATE).put("num_hidden_layers", LAYERS)
                .put("num_attention_heads", HEADS).put("num_key_value_heads", HEADS).put("head_dim", HEAD_DIM)
                .put("max_position_embeddings", POSITIONS).put("vocab_size", VOCABULARY)
                .put("tie_word_embeddings", false).put("torch_dtype", "float32");
        JSON.writeValue(folder.resolve("config.json").toFile(), config);
        List<String> names = List.copyOf(tensors().keySet());
        ObjectNode weightMap = JSON.createObjectNode();
        for (int shard = 0; shard < shards; shard++) {
            String file = shards == 1 ? "model.safetensors"
                    : String.format("model-%05d-of-%05d.safetensors", shard + 1, shards);
            Map<String, List<Integer>> part = new LinkedHashMap<>();
            for (int i = shard; i < names.size(); i += shards) {
                part.put(names.get(i), tensors().get(names.get(i)));
                weightMap.put(names.get(i), file);
            }
            writeSafetensors(folder.resolve(file), part);
        }
        if (shards > 1) {
            ObjectNode index = JSON.createObjectNode();
            index.set("weight_map", weightMap);
            JSON.writeValue(folder.resolve("model.safetensors.index.json").toFile(), index);
        }
        return folder;
    }

    private static void writeSafetensors(Path file, Map<String, List<Integer>> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, List<Integer>> tensor : tensors.entrySet()) {
            long bytes = 4L * tensor.getValue().stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
            ObjectNode info = header.putObject(tensor.getKey()).put("dtype", "F32");
            tensor.getValue().forEach(info.putArray("shape")::add);
            info.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length);
        byte[] whole = new byte[8 + json.length + (int) offset];
        System.arraycopy(length.array(), 0, whole, 0, 8);
        System.arraycopy(json, 0, whole, 8, json.length);
        Files.write(file, whole);
    }
}
