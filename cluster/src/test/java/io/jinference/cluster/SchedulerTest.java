package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Filter, fit and score, and the explanation that comes with each placement. */
final class SchedulerTest {
    private static final long MIB = 1024 * 1024;
    private static final WorkerInfo SMALL = worker("10.0.0.1", 300 * MIB, "llama.cpp 0.1.0 (server)");
    private static final WorkerInfo LARGE = worker("10.0.0.2", 2000 * MIB, "llama.cpp 0.1.0 (server)");
    private static final WorkerInfo NO_LLAMA = worker("10.0.0.3", 8000 * MIB, "vllm 0.1.0");

    private static WorkerInfo worker(String ip, long free, String engine) {
        return new WorkerInfo("pekko://jinference@" + ip + ":25520", "http://" + ip + ":9997", 4, free, free,
                List.of(), List.of(engine), List.of(), 0);
    }

    private static ModelRequest request(long bytes, Map<String, Object> launch) {
        return new ModelRequest("m1", launch, Map.of("total_bytes", bytes), "pekko://jinference@10.0.0.1:25520");
    }

    @Test
    void aModelTooBigForOneWorkerLandsOnTheOneThatFits() {
        Placement placement = Scheduler.place(request(1000 * MIB, Map.of("model_engine", "llama.cpp")),
                List.of(SMALL, LARGE, NO_LLAMA), Map.of(), Map.of(), 1, Set.of());
        assertThat(placement.node()).isEqualTo(LARGE.node());
        assertThat(placement.http()).isEqualTo(LARGE.http());
        assertThat(placement.why()).contains("needs 1000.0 MiB").contains("1000.0 MiB stay free there, the most")
                .contains(SMALL.node() + " 300.0 MiB free (only 300.0 MiB free)")
                .contains("engine llama.cpp is not installed there");
        assertThat(placement.workers()).hasSize(3);
    }

    @Test
    void modelsSpreadToTheWorkerWithTheMostFreeMemoryCountingPendingLaunches() {
        WorkerInfo other = worker("10.0.0.4", 1900 * MIB, "llama.cpp 0.1.0 (server)");
        assertThat(Scheduler.place(request(100 * MIB, Map.of()), List.of(LARGE, other), Map.of(), Map.of(), 1, Set.of()).node())
                .isEqualTo(LARGE.node());
        assertThat(Scheduler.place(request(100 * MIB, Map.of()), List.of(LARGE, other),
                Map.of(LARGE.node(), 500 * MIB), Map.of(), 1, Set.of()).node()).isEqualTo(other.node());
    }

    @Test
    void aCopyNeedsAWorkerOfItsOwn() {
        Placement placement = Scheduler.place(request(10 * MIB, Map.of()), List.of(SMALL, LARGE), Map.of(), Map.of(), 1,
                Set.of(LARGE.node()));
        assertThat(placement.node()).isEqualTo(SMALL.node());
        assertThat(placement.why()).contains("it holds another copy of this model");
    }

    @Test
    void workerIpPinsTheWorker() {
        Placement placement = Scheduler.place(request(10 * MIB, Map.of("worker_ip", "10.0.0.1")),
                List.of(SMALL, LARGE), Map.of(), Map.of(), 1, Set.of());
        assertThat(placement.node()).isEqualTo(SMALL.node());
    }

    @Test
    void aModelThatFitsNowhereIsNotPlacedAndSaysWhy() {
        Placement placement = Scheduler.place(request(9000 * MIB, Map.of()), List.of(SMALL, LARGE), Map.of(), Map.of(), 2, Set.of());
        assertThat(placement.placed()).isFalse();
        assertThat(placement.why()).contains("needs 9000.0 MiB and fits on none of the 2 workers")
                .contains("only 2000.0 MiB free");
        assertThat(placement.workers()).allSatisfy(verdict -> assertThat(verdict.get("fits")).isEqualTo(false));
    }

    @Test
    void binpackFillsTheWorkerWithTheLeastRoomThatStillFits() {
        WorkerInfo other = worker("10.0.0.4", 1900 * MIB, "llama.cpp 0.1.0 (server)");
        Placement placement = Scheduler.place(request(100 * MIB, Map.of("placement_strategy", "binpack")),
                List.of(SMALL, LARGE, other), Map.of(), Map.of(), 1, Set.of());
        assertThat(placement.node()).isEqualTo(SMALL.node());
        assertThat(placement.why()).contains("200.0 MiB stay free there, the least").contains("(binpack;");
        assertThat(Scheduler.place(request(400 * MIB, Map.of("placement_strategy", "BinPack")),
                List.of(SMALL, LARGE, other), Map.of(), Map.of(), 1, Set.of()).node()).isEqualTo(other.node());
    }

    /** GPUs as a worker on a GPU host publishes them (this machine has none: the inventory is written out here). */
    private static WorkerInfo gpuWorker(String ip, long... gpuMemory) {
        List<Map<String, Object>> gpus = new java.util.ArrayList<>();
        for (int index = 0; index < gpuMemory.length; index++) {
            gpus.add(Map.of("index", index, "kind", "cuda", "name", "H200", "memory_total", gpuMemory[index]));
        }
        return new WorkerInfo("pekko://jinference@" + ip + ":25520", "http://" + ip + ":9997", 16, 64000 * MIB,
                64000 * MIB, gpus, List.of("llama.cpp 0.1.0 (server)"), List.of(), 0);
    }

    @Test
    void aGpuLaunchTakesEqualSharesOfTheGpusWithTheMostFreeMemory() {
        WorkerInfo twoGpus = gpuWorker("10.0.0.5", 1000 * MIB, 1000 * MIB, 1000 * MIB);
        Placement placement = Scheduler.place(request(1200 * MIB, Map.of("n_gpu", 2)), List.of(SMALL, twoGpus),
                Map.of(), Map.of(twoGpus.node(), Map.of(1, 700 * MIB)), 1, Set.of());
        assertThat(placement.node()).isEqualTo(twoGpus.node());
        assertThat(placement.gpus()).containsExactly(0, 2);
        assertThat(placement.why()).contains("on GPU [0, 2]").contains("400.0 MiB stay free there");
        assertThat(placement.workers().get(0).get("why_not")).isEqualTo("it has 0 GPU(s), the launch asks for 2");
    }

    @Test
    void aGpuLaunchThatNoGpuHasRoomForIsRefusedWithEachGpusFreeMemory() {
        WorkerInfo gpus = gpuWorker("10.0.0.5", 1000 * MIB, 1000 * MIB);
        Placement placement = Scheduler.place(request(1500 * MIB, Map.of("n_gpu", 1)), List.of(gpus), Map.of(),
                Map.of(), 1, Set.of());
        assertThat(placement.placed()).isFalse();
        assertThat(placement.why()).contains("only 0 of its GPUs have 1500.0 MiB free");
        assertThat(placement.workers().get(0).get("gpus_free_bytes")).isEqualTo(Map.of(0, 1000 * MIB, 1, 1000 * MIB));
    }

    @Test
    void theDriversFreeMemoryCountsWhenItIsLowerThanTheGpuLessTheClustersShares() {
        // GPU 0 holds 6000 MiB of another process's: nvidia-smi says 2000 MiB free, the cluster's shares say 8000
        List<Map<String, Object>> gpus = List.of(
                Map.of("index", 0, "kind", "cuda", "name", "H200", "memory_total", 8000 * MIB,
                        "memory_free", 2000 * MIB),
                Map.of("index", 1, "kind", "cuda", "name", "H200", "memory_total", 8000 * MIB,
                        "memory_free", 8000 * MIB));
        WorkerInfo busy = new WorkerInfo("pekko://jinference@10.0.0.7:25520", "http://10.0.0.7:9997", 16,
                64000 * MIB, 64000 * MIB, gpus, List.of("llama.cpp 0.1.0 (server)"), List.of(), 0);
        Placement placement = Scheduler.place(request(3000 * MIB, Map.of("n_gpu", 1)), List.of(busy), Map.of(),
                Map.of(busy.node(), Map.of(1, 1000 * MIB)), 1, Set.of());
        assertThat(placement.gpus()).containsExactly(1);
        assertThat(placement.workers().get(0).get("gpus_free_bytes"))
                .isEqualTo(Map.of(0, 2000 * MIB, 1, 7000 * MIB));
        Placement refused = Scheduler.place(request(3000 * MIB, Map.of("gpu_idx", "0")), List.of(busy), Map.of(),
                Map.of(), 1, Set.of());
        assertThat(refused.why()).contains("GPU 0 has only 2000.0 MiB free for a share of 3000.0 MiB");
    }

    @Test
    void gpuIdxNamesTheGpusAndAWorkerWithoutThemIsRuledOut() {
        WorkerInfo one = gpuWorker("10.0.0.5", 8000 * MIB);
        WorkerInfo two = gpuWorker("10.0.0.6", 8000 * MIB, 8000 * MIB);
        Placement placement = Scheduler.place(request(1000 * MIB, Map.of("gpu_idx", "1")), List.of(one, two),
                Map.of(), Map.of(two.node(), Map.of(1, 7500 * MIB)), 1, Set.of());
        assertThat(placement.placed()).isFalse();
        assertThat(placement.why()).contains("it has no GPU 1 (gpu_idx)")
                .contains("GPU 1 has only 500.0 MiB free for a share of 1000.0 MiB");
        Placement free = Scheduler.place(request(1000 * MIB, Map.of("gpu_idx", List.of(1))), List.of(one, two),
                Map.of(), Map.of(), 1, Set.of());
        assertThat(free.node()).isEqualTo(two.node());
        assertThat(free.gpus()).containsExactly(1);
    }

    @Test
    void anUnknownPlacementStrategyIsNamedInTheError() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> PlacementStrategy.of("random"))
                .hasMessage("placement_strategy must be spread or binpack, got 'random'");
    }
}
