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
                List.of(SMALL, LARGE, NO_LLAMA), Map.of(), 1, Set.of());
        assertThat(placement.node()).isEqualTo(LARGE.node());
        assertThat(placement.http()).isEqualTo(LARGE.http());
        assertThat(placement.why()).contains("needs 1000.0 MiB").contains("1000.0 MiB stay free there")
                .contains(SMALL.node() + " 300.0 MiB free (only 300.0 MiB free)")
                .contains("engine llama.cpp is not installed there");
        assertThat(placement.workers()).hasSize(3);
    }

    @Test
    void modelsSpreadToTheWorkerWithTheMostFreeMemoryCountingPendingLaunches() {
        WorkerInfo other = worker("10.0.0.4", 1900 * MIB, "llama.cpp 0.1.0 (server)");
        assertThat(Scheduler.place(request(100 * MIB, Map.of()), List.of(LARGE, other), Map.of(), 1, Set.of()).node())
                .isEqualTo(LARGE.node());
        assertThat(Scheduler.place(request(100 * MIB, Map.of()), List.of(LARGE, other),
                Map.of(LARGE.node(), 500 * MIB), 1, Set.of()).node()).isEqualTo(other.node());
    }

    @Test
    void aCopyNeedsAWorkerOfItsOwn() {
        Placement placement = Scheduler.place(request(10 * MIB, Map.of()), List.of(SMALL, LARGE), Map.of(), 1,
                Set.of(LARGE.node()));
        assertThat(placement.node()).isEqualTo(SMALL.node());
        assertThat(placement.why()).contains("it holds another copy of this model");
    }

    @Test
    void workerIpPinsTheWorker() {
        Placement placement = Scheduler.place(request(10 * MIB, Map.of("worker_ip", "10.0.0.1")),
                List.of(SMALL, LARGE), Map.of(), 1, Set.of());
        assertThat(placement.node()).isEqualTo(SMALL.node());
    }

    @Test
    void aModelThatFitsNowhereIsNotPlacedAndSaysWhy() {
        Placement placement = Scheduler.place(request(9000 * MIB, Map.of()), List.of(SMALL, LARGE), Map.of(), 2, Set.of());
        assertThat(placement.placed()).isFalse();
        assertThat(placement.why()).contains("needs 9000.0 MiB and fits on none of the 2 workers")
                .contains("only 2000.0 MiB free");
        assertThat(placement.workers()).allSatisfy(verdict -> assertThat(verdict.get("fits")).isEqualTo(false));
    }
}
