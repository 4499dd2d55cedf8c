package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import io.jinference.host.GpuStatus;
import io.jinference.host.HostProfiles;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The GPUs a worker publishes: each with the driver's free memory where nvidia-smi measured it. */
final class WorkerInventoryTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aMeasuredGpuCarriesTheDriversFreeMemory() {
        HostProfile cuda = HostProfiles.resolve("linux-x86_64-cuda");
        assertThat(cuda.gpus()).isNotEmpty();
        int index = cuda.gpus().get(0).index();
        RecordingLocalModels models = new RecordingLocalModels();
        WorkerInventory inventory = new WorkerInventory(cuda, List::of, models);

        // a host profile's GPUs, not measured: no free figure, the placement counts the total less its shares
        assertThat(gpu(inventory, index)).doesNotContainKey("memory_free");

        // as nvidia-smi reports one H200 with 100000 of its 143771 MiB free (written out: no GPU here)
        models.gpus(List.of(new GpuStatus(index, "cuda", "NVIDIA H200", 143771 * MIB, 100000 * MIB, "9.0", true)));
        assertThat(gpu(inventory, index)).containsEntry("memory_free", 100000 * MIB);

        models.gpus(List.of(new GpuStatus(index, "cuda", "NVIDIA H200", 143771 * MIB, 143771 * MIB, "9.0", false)));
        assertThat(gpu(inventory, index)).doesNotContainKey("memory_free");
    }

    private static Map<String, Object> gpu(WorkerInventory inventory, int index) {
        return inventory.now("node", "http://127.0.0.1:1", Map.of()).gpus().stream()
                .filter(gpu -> ((Number) gpu.get("index")).intValue() == index).findFirst().orElseThrow();
    }
}
