package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Missing, corrupt or unsupported checkpoints fail the load with LOAD_FAILED and a sentence naming the problem. */
class LoadFailureTest {
    private static final String LLAMA_CONFIG = """
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 8, "intermediate_size": 16,
             "num_hidden_layers": 1, "num_attention_heads": 2, "num_key_value_heads": 1, "vocab_size": 4}
            """;

    @TempDir
    Path folder;

    private AbstractThrowableAssert<?, ? extends Throwable> assertLoadFails() {
        TransformersEngine engine = new TransformersEngine(folder);
        LoadRequest request = new LoadRequest("m", null, null, "none", folder, Map.of(), List.of());
        return assertThatThrownBy(() -> engine.load(request, new JinjavaContext(folder)))
                .isInstanceOf(EngineException.class)
                .matches(e -> ((EngineException) e).kind() == EngineException.Kind.LOAD_FAILED, "kind LOAD_FAILED");
    }

    @Test
    void aLaunchOptionTheBackendDoesNotReadIsRefusedAndNamed() {
        TransformersEngine engine = new TransformersEngine(folder);
        LoadRequest request = new LoadRequest("m", null, null, "none", folder,
                Map.of("n_ctx", 256, "tool_call_parser", "hermes"), List.of());
        assertThatThrownBy(() -> engine.load(request, new JinjavaContext(folder)))
                .isInstanceOf(EngineException.class)
                .matches(e -> ((EngineException) e).kind() == EngineException.Kind.INVALID_REQUEST, "kind INVALID_REQUEST")
                .hasMessageContaining("launch option [tool_call_parser]").hasMessageContaining("n_ctx");
    }

    @Test
    void notAFolder() {
        folder = folder.resolve("absent");
        assertLoadFails().hasMessageContaining("is not a folder");
    }

    @Test
    void missingConfig() {
        assertLoadFails().hasMessageContaining("config.json is missing");
    }

    @Test
    void unsupportedArchitectureIsNamed() throws IOException {
        Files.writeString(folder.resolve("config.json"), "{\"architectures\": [\"GPT2LMHeadModel\"]}");
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        assertLoadFails().hasMessageContaining("MODEL_UNSUPPORTED").hasMessageContaining("GPT2LMHeadModel")
                .hasMessageContaining("Qwen3ForCausalLM");
    }

    @Test
    void unsupportedRopeScaling() throws IOException {
        Files.writeString(folder.resolve("config.json"),
                LLAMA_CONFIG.replace("\"vocab_size\": 4", "\"vocab_size\": 4, \"rope_scaling\": {\"rope_type\": \"yarn\"}"));
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        assertLoadFails().hasMessageContaining("yarn");
    }

    @Test
    void missingWeights() throws IOException {
        Files.writeString(folder.resolve("config.json"), LLAMA_CONFIG);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        assertLoadFails().hasMessageContaining("no *.safetensors");
    }

    @Test
    void truncatedSafetensors() throws IOException {
        Files.writeString(folder.resolve("config.json"), LLAMA_CONFIG);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        writeSafetensors(folder.resolve("model.safetensors"),
                "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [4, 8], \"data_offsets\": [0, 128]}}", 64);
        assertLoadFails().hasMessageContaining("model.embed_tokens.weight").hasMessageContaining("truncated");
    }

    @Test
    void garbageInsteadOfSafetensors() throws IOException {
        Files.writeString(folder.resolve("config.json"), LLAMA_CONFIG);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.writeString(folder.resolve("model.safetensors"), "<html>not found</html>");
        assertLoadFails().hasMessageContaining("not a safetensors file");
    }

    @Test
    void missingTensor() throws IOException {
        Files.writeString(folder.resolve("config.json"), LLAMA_CONFIG);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        writeSafetensors(folder.resolve("model.safetensors"),
                "{\"model.embed_tokens.weight\": {\"dtype\": \"F32\", \"shape\": [4, 8], \"data_offsets\": [0, 128]}}", 128);
        assertLoadFails().hasMessageContaining("model.layers.0.self_attn.q_proj.weight is missing");
    }

    @Test
    void missingShard() throws IOException {
        Files.writeString(folder.resolve("config.json"), LLAMA_CONFIG);
        Files.writeString(folder.resolve("tokenizer.json"), "{}");
        Files.writeString(folder.resolve("model.safetensors.index.json"),
                "{\"weight_map\": {\"model.norm.weight\": \"model-00002-of-00002.safetensors\"}}");
        assertLoadFails().hasMessageContaining("model-00002-of-00002.safetensors");
    }

    /** A safetensors file with the given header and {@code dataBytes} zero bytes of data. */
    static void writeSafetensors(Path file, String header, int dataBytes) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(8 + json.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(json.length).put(json);
        Files.write(file, buffer.array());
    }
}
