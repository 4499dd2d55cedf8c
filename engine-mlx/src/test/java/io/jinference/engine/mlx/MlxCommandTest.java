package io.jinference.engine.mlx;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import io.jinference.api.ProbeResult;
import io.jinference.api.ReasonCode;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.testing.LoadRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class MlxCommandTest {
    private final PythonRuntime runtime = new PythonRuntime(Path.of("/venv/bin/python"), "configured");

    @Test
    void buildsTheServerCommandWithMemoryGuardsAndAnOfflineHubCache() {
        ProcessSpec spec = MlxCommand.build(LoadRequests.of("mlx-1", "mlx", "4bit", Path.of("/m/mlx"),
                Map.of("max_kv_size", 1024, "n_gpu", 1), List.of()), Path.of("/py"), 8080, Path.of("/w"));

        assertThat(spec.command()).containsExactly("/py", "-m", "mlx_lm.server", "--model", "/m/mlx", "--host",
                "127.0.0.1", "--port", "8080", "--max-kv-size", "1024");
        assertThat(spec.healthUrl()).hasToString("http://127.0.0.1:8080/v1/models");
        assertThat(spec.environment()).containsEntry("HF_HUB_OFFLINE", "1").containsEntry("HF_HUB_CACHE", "/w/hf-cache");
    }

    @Test
    void aLinuxBuildOfMlxAddsLinuxAndSaysSo() {
        HostProfile linux = new HostProfile("linux", "x86_64", 2, 1L << 34, List.of(), List.of(), false, true);

        ProbeResult result = MlxProbe.judge(linux, runtime, Map.of("mlx-lm", "0.32.2", "mlx", "0.32.4",
                "mlx-cpu", "0.32.4"));

        assertThat(result.available()).isTrue();
        assertThat(result.extraCapabilities()).containsEntry("os", List.of("linux"))
                .containsEntry("arch", List.of("x86_64")).containsEntry("devices", List.of("cpu"));
        assertThat(result.note()).contains("MLX build for Linux (mlx-cpu 0.32.4)");
    }

    @Test
    void onAMacTheManifestRuleStands() {
        HostProfile mac = new HostProfile("macos", "aarch64", 8, 1L << 34, List.of(), List.of(), true, true);

        ProbeResult result = MlxProbe.judge(mac, runtime, Map.of("mlx-lm", "0.32.2", "mlx", "0.32.4"));

        assertThat(result.available()).isTrue();
        assertThat(result.extraCapabilities()).isEmpty();
    }

    @Test
    void withoutMlxLmOrALinuxBackendTheRuntimeIsMissing() {
        HostProfile linux = new HostProfile("linux", "x86_64", 2, 1L << 34, List.of(), List.of(), false, true);

        assertThat(MlxProbe.judge(linux, runtime, Map.of("mlx", "0.32.4")).reason().code())
                .isEqualTo(ReasonCode.RUNTIME_MISSING);
        assertThat(MlxProbe.judge(linux, runtime, Map.of("mlx-lm", "0.32.2", "mlx", "0.32.4")).reason().message())
                .contains("without a Linux backend");
    }
}
