package io.jinference.cluster;

import java.util.List;
import java.util.Map;

/**
 * A model the cluster is asked to run: the desired state the supervisor places and the workers carry out. It stays
 * until the model is terminated, so a model whose worker dies is placed again.
 *
 * @param uid the model's UID
 * @param launch the launch body as the client sent it (every launch key), with the UID filled in
 * @param estimate the memory estimate ({@link MemoryEstimate#toMap()}), or null when none could be made
 * @param origin the node that took the launch
 */
public record ModelRequest(String uid, Map<String, Object> launch, Map<String, Object> estimate, String origin) {
    public long estimateBytes() {
        return estimate == null || !(estimate.get("total_bytes") instanceof Number n) ? 0 : n.longValue();
    }

    /** Xinference's {@code replica}: how many copies, each on a worker of its own (1 unless given). */
    public int replicas() {
        Object replica = launch.get("replica");
        return replica instanceof Number n ? Math.max(1, n.intValue()) : 1;
    }

    /** Xinference's {@code worker_ip}: only the worker at this IP may take it; null when any may. */
    public String workerIp() {
        Object ip = launch.get("worker_ip");
        return ip == null || ip.toString().isBlank() ? null : ip.toString().trim();
    }

    /**
     * The GPU indexes the launch names by {@code gpu_idx} (an index or a list of them), in its order; empty when it
     * names none.
     */
    public List<Integer> gpuIndexes() {
        Object indexes = launch.get("gpu_idx");
        if (indexes instanceof Number n) {
            return List.of(n.intValue());
        }
        if (indexes instanceof String text && text.matches("\\s*[0-9]+(\\s*,\\s*[0-9]+)*\\s*")) {
            return java.util.Arrays.stream(text.split(",")).map(index -> Integer.parseInt(index.trim())).toList();
        }
        if (indexes instanceof List<?> list) {
            return list.stream().filter(Number.class::isInstance).map(index -> ((Number) index).intValue()).toList();
        }
        return List.of();
    }

    /**
     * How many GPUs the model takes: as many as {@code gpu_idx} names, else {@code n_gpu} when it is a count; 0 when
     * the launch asks for none (then the model is fitted into the worker's memory as a whole).
     */
    public int gpuCount() {
        if (!gpuIndexes().isEmpty()) {
            return gpuIndexes().size();
        }
        Object count = launch.get("n_gpu");
        return count instanceof Number n ? Math.max(0, n.intValue()) : 0;
    }

    /** GPUStack's {@code placement_strategy}: spread (the default) or binpack. */
    public PlacementStrategy strategy() {
        return PlacementStrategy.of(launch.get("placement_strategy"));
    }
}
