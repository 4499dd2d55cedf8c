package io.jinference.cluster;

import java.util.List;
import java.util.Map;

/**
 * One worker's inventory as it replicates it to every node (Distributed Data, keyed by its Pekko address).
 *
 * @param node the worker's Pekko address, {@code pekko://jinference@host:port}
 * @param http its REST root, which the other nodes proxy to
 * @param cpuCores its CPU cores
 * @param memoryTotalBytes the memory it has for models
 * @param memoryFreeBytes what is free of it now, less the estimates of the models it is loading
 * @param gpus each GPU: index, name, kind, memory total and free
 * @param engines the engines installed there, as {@code name version (backend)}
 * @param models the models it holds
 * @param updatedMillis when it was published
 */
public record WorkerInfo(String node, String http, int cpuCores, long memoryTotalBytes, long memoryFreeBytes,
        List<Map<String, Object>> gpus, List<String> engines, List<HeldModel> models, long updatedMillis) {
    public WorkerInfo {
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
        engines = engines == null ? List.of() : List.copyOf(engines);
        models = models == null ? List.of() : List.copyOf(models);
    }

    /** The model with this UID on this worker, or null. */
    public HeldModel model(String uid) {
        return models.stream().filter(model -> model.uid().equals(uid)).findFirst().orElse(null);
    }

    /** The host part of the node's address (its IP), as Xinference's {@code worker_ip} names a worker. */
    public String ip() {
        String hostPort = node.substring(node.indexOf('@') + 1);
        String host = hostPort.substring(0, hostPort.lastIndexOf(':'));
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
