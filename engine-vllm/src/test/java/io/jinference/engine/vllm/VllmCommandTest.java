package io.jinference.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.testing.LoadRequests;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class VllmCommandTest {
    private static final Path PYTHON = Path.of("/venv/bin/python");
    private static final Path MODEL = Path.of("/models/qwen2.5-7b");
    private static final Path WORK = Path.of("/home/jinf/work");

    @Test
    void cudaLaunchSetsTensorParallelismDevicesAndEveryKey() {
        LoadRequest request = LoadRequests.of("qwen-1", "gptq", "Int4", MODEL, Map.of("gpu_memory_utilization", 0.85,
                "max_model_len", 4096, "dtype", "half", "enable_prefix_caching", true, "max_num_seqs", 16,
                "n_gpu", 2, "launch_timeout", 120, "max_restarts", 1), List.of(1, 3));

        ProcessSpec spec = VllmCommand.build(request, PYTHON, 41000, WORK);

        assertThat(spec.command()).containsExactly("/venv/bin/python", "-m", "vllm.entrypoints.openai.api_server",
                "--model", "/models/qwen2.5-7b", "--host", "127.0.0.1", "--port", "41000", "--served-model-name", "qwen-1",
                "--tensor-parallel-size", "2", "--gpu-memory-utilization", "0.85", "--max-model-len", "4096",
                "--dtype", "half", "--quantization", "gptq", "--enable-prefix-caching", "--max-num-seqs", "16");
        assertThat(spec.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "1,3"));
        assertThat(spec.healthUrl()).hasToString("http://127.0.0.1:41000/health");
        assertThat(spec.startupTimeout()).isEqualTo(Duration.ofSeconds(120));
        assertThat(spec.maxRestarts()).isEqualTo(1);
        assertThat(spec.name()).isEqualTo("qwen-1");
        assertThat(spec.workDir()).isEqualTo(WORK);
    }

    @Test
    void cpuLaunchHasNoGpuFlagsAndBoundsTheKvCache() {
        LoadRequest request = LoadRequests.of("tiny", "pytorch", "none", MODEL,
                Map.of("gpu_memory_utilization", 0.9, "cpu_kvcache_space", 2), List.of());

        ProcessSpec spec = VllmCommand.build(request, PYTHON, 41001, WORK);

        assertThat(spec.command()).doesNotContain("--tensor-parallel-size", "--gpu-memory-utilization",
                "--quantization");
        assertThat(spec.environment()).containsExactly(Map.entry("VLLM_CPU_KVCACHE_SPACE", "2"));
        assertThat(spec.startupTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(spec.maxRestarts()).isEqualTo(3);
    }

    @Test
    void explicitTensorParallelSizeWinsOverTheGpuCount() {
        LoadRequest request = LoadRequests.of("m", "awq", "Int4", MODEL, Map.of("tensor_parallel_size", 1),
                List.of(0, 1));

        assertThat(VllmCommand.build(request, PYTHON, 1, WORK).command())
                .containsSubsequence("--tensor-parallel-size", "1").containsSubsequence("--quantization", "awq");
    }
}
