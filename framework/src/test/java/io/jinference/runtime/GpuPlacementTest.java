package io.jinference.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.host.GpuStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Placement decisions. This machine has no GPU: the GPU lists stand in for hosts with NVIDIA H200s as nvidia-smi
 * reads them (143771 MiB each, free memory as after earlier launches).
 */
final class GpuPlacementTest {
    private static final long MIB = 1024L * 1024L;
    private static final String ENGINE = "llama.cpp 0.1.0 (server)";

    /** Stands in for one H200 with this much memory free. */
    private static GpuStatus h200(int index, long freeMib) {
        return new GpuStatus(index, "cuda", "NVIDIA H200", 143771 * MIB, freeMib * MIB, "9.0", true);
    }

    private static List<Integer> place(Map<String, Object> options, List<GpuStatus> gpus, boolean drivesGpu) {
        return GpuPlacement.place(options, gpus, drivesGpu, ENGINE, Map.of());
    }

    private static Map<String, Object> options(Object... keysAndValues) {
        Map<String, Object> options = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            options.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return options;
    }

    @Test
    void byDefaultAGpuEngineGetsTheGpuWithTheMostFreeMemory() {
        List<GpuStatus> twoH200s = List.of(h200(0, 100_000), h200(1, 143_000));

        assertThat(place(Map.of(), twoH200s, true)).containsExactly(1);
        assertThat(place(options("n_gpu", "auto"), twoH200s, true)).containsExactly(1);
        assertThat(place(Map.of(), List.of(h200(0, 143_000)), true)).containsExactly(0);
    }

    @Test
    void equalFreeMemoryGoesToTheGpuFewerModelsUse() {
        List<GpuStatus> twoH200s = List.of(h200(0, 143_000), h200(1, 143_000));

        assertThat(GpuPlacement.place(Map.of(), twoH200s, true, ENGINE, Map.of(0, 1))).containsExactly(1);
        assertThat(GpuPlacement.place(Map.of(), twoH200s, true, ENGINE, Map.of())).containsExactly(0);
    }

    @Test
    void aCpuOnlyEngineOrAHostWithoutGpusGetsNone() {
        assertThat(place(Map.of(), List.of(h200(0, 143_000)), false)).isEmpty();
        assertThat(place(Map.of(), List.of(), true)).isEmpty();
    }

    @Test
    void nGpuZeroNullOrCpuKeepsTheModelOnTheCpu() {
        List<GpuStatus> one = List.of(h200(0, 143_000));

        assertThat(place(options("n_gpu", 0), one, true)).isEmpty();
        assertThat(place(options("n_gpu", null), one, true)).isEmpty();
        assertThat(place(options("n_gpu", "cpu"), one, true)).isEmpty();
    }

    @Test
    void nGpuTwoSplitsOverTheTwoGpusWithTheMostRoom() {
        List<GpuStatus> threeH200s = List.of(h200(0, 50_000), h200(1, 143_000), h200(2, 140_000));

        assertThat(place(options("n_gpu", 2), threeH200s, true)).containsExactly(1, 2);
        assertThat(place(options("n_gpu", "2"), threeH200s, true)).containsExactly(1, 2);
        assertThatThrownBy(() -> place(options("n_gpu", 4), threeH200s, true)).isInstanceOf(LaunchException.class)
                .hasMessage("n_gpu=4 asks for more GPUs than this host has (3)");
    }

    @Test
    void gpuIdxNamesTheGpusAndOverridesNGpu() {
        List<GpuStatus> twoH200s = List.of(h200(0, 10_000), h200(1, 143_000));

        assertThat(place(options("gpu_idx", 0), twoH200s, true)).containsExactly(0);
        assertThat(place(options("gpu_idx", List.of(1, 0), "n_gpu", 1), twoH200s, true)).containsExactly(1, 0);
        assertThat(place(options("gpu_idx", "0,1"), twoH200s, true)).containsExactly(0, 1);
    }

    @Test
    void badPlacementKeysAreClearRequestErrors() {
        List<GpuStatus> one = List.of(h200(0, 143_000));

        assertThatThrownBy(() -> place(options("gpu_idx", 3), one, true)).isInstanceOf(LaunchException.class)
                .hasMessage("gpu_idx names GPU [3], which this host does not have; its GPUs: [0]");
        assertThatThrownBy(() -> place(options("gpu_idx", "zero"), one, true))
                .hasMessageStartingWith("gpu_idx must be a GPU index or a list of distinct ones");
        assertThatThrownBy(() -> place(options("gpu_idx", List.of(0, 0)), one, true))
                .hasMessageStartingWith("gpu_idx must be a GPU index or a list of distinct ones");
        assertThatThrownBy(() -> place(options("n_gpu", "many"), one, true))
                .hasMessageStartingWith("n_gpu must be \"auto\", a number of GPUs");
        assertThatThrownBy(() -> place(options("n_gpu", -1), one, true))
                .hasMessageStartingWith("n_gpu must be \"auto\", a number of GPUs");
        assertThatThrownBy(() -> place(options("gpu_idx", 0), one, false)).isInstanceOf(LaunchException.class)
                .hasMessageStartingWith("gpu_idx=[0] asks for GPUs, but llama.cpp 0.1.0 (server) runs on the CPU only");
        assertThatThrownBy(() -> place(options("n_gpu", 1), List.of(), false))
                .hasMessageStartingWith("n_gpu=1 asks for GPUs, but llama.cpp 0.1.0 (server) runs on the CPU only");
    }
}
