package io.jinference.cluster;

import io.jinference.host.GpuStatus;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a node's model manager in the in-JVM cluster tests (the process tests in the launcher run real
 * models): a launch is recorded and reported ready at once, a termination forgets it. Its GPUs are none, or what
 * a test sets (as nvidia-smi would report them).
 */
final class RecordingLocalModels implements LocalModels {
    private final Map<String, HeldModel> held = new ConcurrentHashMap<>();
    private volatile List<GpuStatus> gpus = List.of();

    @Override
    public void launch(String uid, Map<String, Object> launch) {
        held.put(uid, new HeldModel(uid, String.valueOf(launch.get("model_name")), "ready", null, 0));
    }

    @Override
    public void terminate(String uid) {
        held.remove(uid);
    }

    @Override
    public List<HeldModel> held() {
        return List.copyOf(held.values());
    }

    @Override
    public List<GpuStatus> gpus() {
        return gpus;
    }

    void gpus(List<GpuStatus> measured) {
        gpus = List.copyOf(measured);
    }

    boolean holds(String uid) {
        return held.containsKey(uid);
    }
}
