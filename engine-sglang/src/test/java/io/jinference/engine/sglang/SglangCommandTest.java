package io.jinference.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.testing.LoadRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class SglangCommandTest {

    @Test
    void mapsTheLaunchRequestToSglangFlags() {
        ProcessSpec spec = SglangCommand.build(LoadRequests.of("ds-1", "fp8", "fp8", Path.of("/m/ds"),
                Map.of("gpu_memory_utilization", 0.8, "max_model_len", 8192, "enable_metrics", true), List.of(0, 1, 2, 3)),
                Path.of("/py"), 30123, Path.of("/w"));

        assertThat(spec.command()).containsExactly("/py", "-m", "sglang.launch_server", "--model-path", "/m/ds",
                "--host", "127.0.0.1", "--port", "30123", "--served-model-name", "ds-1", "--tp-size", "4",
                "--mem-fraction-static", "0.8", "--context-length", "8192", "--quantization", "fp8",
                "--enable-metrics");
        assertThat(spec.environment()).containsExactly(Map.entry("CUDA_VISIBLE_DEVICES", "0,1,2,3"));
        assertThat(spec.healthUrl()).hasToString("http://127.0.0.1:30123/health");
    }

    @Test
    void sglangSpellingsWinOverTheVllmStyleKeys() {
        ProcessSpec spec = SglangCommand.build(LoadRequests.of("m", "pytorch", "none", Path.of("/m"),
                Map.of("mem_fraction_static", 0.7, "gpu_memory_utilization", 0.9, "context_length", 2048,
                        "max_model_len", 4096), List.of()), Path.of("/py"), 1, Path.of("/w"));

        assertThat(spec.command()).containsSubsequence("--mem-fraction-static", "0.7")
                .containsSubsequence("--context-length", "2048").doesNotContain("--tp-size", "--quantization");
        assertThat(spec.environment()).isEmpty();
    }
}
