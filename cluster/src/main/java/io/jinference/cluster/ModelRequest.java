package io.jinference.cluster;

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
}
