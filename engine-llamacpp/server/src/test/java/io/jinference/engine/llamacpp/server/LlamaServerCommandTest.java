package io.jinference.engine.llamacpp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import io.jinference.engine.support.testing.LoadRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Launch options → llama-server flags and environment. */
final class LlamaServerCommandTest {
    private static final Path MODEL = Path.of("/models/smollm2.gguf");
    private static final LlamaServerRuntime CPU = runtime("cpu");
    private static final GgufFacts CHAT_MODEL = new GgufFacts("llama", OptionalLong.of(8192), false, Optional.empty());

    private static LlamaServerRuntime runtime(String backend) {
        return new LlamaServerRuntime(Path.of("/opt/llama/bin/llama-server"), 11434, backend, List.of("llama"),
                List.of(), "test");
    }

    private static ProcessSpec build(Map<String, Object> options, List<Integer> gpus, LlamaServerRuntime runtime) {
        return LlamaServerCommand.build(LoadRequests.of("smol-1", "ggufv2", "q4_1", MODEL, options, gpus), runtime,
                CHAT_MODEL, 40123, Path.of("/tmp/work"));
    }

    @Test
    void theDefaultsMatchTheInJvmBackendsMeaningOfNCtx() {
        ProcessSpec spec = build(Map.of(), List.of(), CPU);

        assertThat(spec.command()).containsExactly("/opt/llama/bin/llama-server", "--model", "/models/smollm2.gguf",
                "--alias", "smol-1", "--host", "127.0.0.1", "--port", "40123",
                "--ctx-size", "16384", "--parallel", "4", "--jinja", "--metrics");
        assertThat(spec.environment()).isEmpty();
        assertThat(spec.healthUrl()).hasToString("http://127.0.0.1:40123/health");
        assertThat(spec.startupTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(spec.command()).as("n_gpu_layers unset: llama.cpp fits the model itself").doesNotContain("--n-gpu-layers");
    }

    @Test
    void everyOptionBecomesItsFlag() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("n_ctx", 2048);
        options.put("n_parallel", 2);
        options.put("n_threads", 8);
        options.put("n_gpu_layers", 99);
        options.put("embedding", true);
        options.put("reranking", "true");
        options.put("flash_attn", true);
        options.put("cache_type_k", "q8_0");
        options.put("cache_type_v", "q8_0");
        options.put("seed", 7);
        options.put("model_backend", "server");
        options.put("max_restarts", 1);
        options.put("batch_size", 512);
        options.put("cont_batching", false);
        options.put("no_warmup", true);

        List<String> argv = build(options, List.of(), CPU).command();

        assertThat(String.join(" ", argv)).endsWith("--ctx-size 4096 --parallel 2 --jinja --metrics --threads 8"
                + " --n-gpu-layers 99 --embedding --reranking --pooling last --flash-attn on --cache-type-k q8_0"
                + " --cache-type-v q8_0 --seed 7 --batch-size 512 --no-warmup");
    }

    @Test
    void gpusAreMadeVisibleAndShareTheLayers() {
        ProcessSpec one = build(Map.of(), List.of(1), runtime("cuda"));
        assertThat(one.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "1"));
        assertThat(one.command()).doesNotContain("--tensor-split");

        ProcessSpec three = build(Map.of(), List.of(0, 2, 3), runtime("cuda"));
        assertThat(three.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "0,2,3"));
        assertThat(String.join(" ", three.command())).contains("--tensor-split 1,1,1");

        ProcessSpec uneven = build(Map.of("tensor_split", "3,1"), List.of(0, 1), runtime("vulkan"));
        assertThat(uneven.environment()).containsExactly(Map.entry("GGML_VK_VISIBLE_DEVICES", "0,1"));
        assertThat(String.join(" ", uneven.command())).contains("--tensor-split 3,1");
    }

    @Test
    void aModelPlacedOnNoGpuKeepsACudaBuildOffEveryGpu() {
        ProcessSpec cpuPlaced = build(Map.of(), List.of(), runtime("cuda"));
        assertThat(String.join(" ", cpuPlaced.command())).contains("--device none");
        assertThat(cpuPlaced.environment()).isEmpty();

        assertThat(build(Map.of(), List.of(), CPU).command()).as("a CPU build has no GPU to keep off")
                .doesNotContain("--device");
        assertThat(build(Map.of(), List.of(0), runtime("cuda")).command()).doesNotContain("--device")
                .doesNotContain("--n-gpu-layers");
    }

    @Test
    void anEmbeddingModelKeepsItsOwnPoolingAndAnExplicitOneWins() {
        GgufFacts embedder = new GgufFacts("bert", OptionalLong.of(512), true, Optional.empty());
        List<String> own = LlamaServerCommand.build(LoadRequests.of("e", "ggufv2", "f16", MODEL,
                Map.of("embedding", true), List.of()), CPU, embedder, 1, Path.of("/tmp")).command();
        assertThat(own).contains("--embedding").doesNotContain("--pooling");
        assertThat(String.join(" ", own)).contains("--ctx-size 2048 --parallel 4");

        List<String> mean = build(Map.of("embedding", true, "pooling", "MEAN"), List.of(), CPU).command();
        assertThat(String.join(" ", mean)).contains("--pooling mean");
    }

    @Test
    void badValuesAreRequestErrors() {
        assertThatThrownBy(() -> build(Map.of("n_ctx", 0), List.of(), CPU)).isInstanceOf(EngineException.class)
                .hasMessage("Launch option n_ctx must be a positive integer, got 0");
        assertThatThrownBy(() -> build(Map.of("flash_attn", "sometimes"), List.of(), CPU))
                .hasMessage("Launch option flash_attn must be true, false or auto; got 'sometimes'");
        assertThatThrownBy(() -> build(Map.of("pooling", "max"), List.of(), CPU))
                .hasMessageContaining("pooling must be one of");
        assertThatThrownBy(() -> build(Map.of("bad key", 1), List.of(), CPU))
                .hasMessage("Launch option 'bad key' is not a valid flag name");
        assertThatThrownBy(() -> build(Map.of("n_threads", -1), List.of(), CPU))
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
    }
}
