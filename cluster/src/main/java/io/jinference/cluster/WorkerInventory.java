package io.jinference.cluster;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import io.jinference.host.GpuStatus;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** This node's inventory, as it publishes it to the cluster. */
final class WorkerInventory {
    private final HostProfile host;
    private final Supplier<List<String>> engines;
    private final LocalModels models;

    WorkerInventory(HostProfile host, Supplier<List<String>> engines, LocalModels models) {
        this.host = host;
        this.engines = engines;
        this.models = models;
    }

    /** @param estimates the memory estimate of each model the cluster placed, by UID */
    WorkerInfo now(String node, String http, Map<String, Long> estimates) {
        List<HeldModel> held = models.held().stream().map(model -> new HeldModel(model.uid(), model.modelName(),
                model.state(), model.failure(), estimates.getOrDefault(model.uid(), model.estimateBytes()))).toList();
        return new WorkerInfo(node, http, host.cpuCores(), host.memoryBytes(), freeBytes(held), gpus(),
                engines.get(), held, System.currentTimeMillis());
    }

    /**
     * The memory free for another model: the host's memory (as probed, or as the host profile gives it) less the
     * estimates of the models held here, and never more than the kernel's {@code MemAvailable}. The estimates count
     * from the moment a model is placed, so two launches in a row never both count on the same free memory.
     */
    long freeBytes(List<HeldModel> held) {
        return FreeMemory.of(host, held.stream().mapToLong(HeldModel::estimateBytes).sum());
    }

    /** The host's GPUs, each with the driver's free memory where it was measured now. */
    private List<Map<String, Object>> gpus() {
        Map<Integer, Long> measuredFree = new HashMap<>();
        if (!host.gpus().isEmpty()) {
            for (GpuStatus status : models.gpus()) {
                if (status.measured()) {
                    measuredFree.put(status.index(), status.memoryFreeBytes());
                }
            }
        }
        return host.gpus().stream().map(device -> gpu(device, measuredFree.get(device.index()))).toList();
    }

    private static Map<String, Object> gpu(GpuDevice device, Long measuredFree) {
        Map<String, Object> gpu = new LinkedHashMap<>();
        gpu.put("index", device.index());
        gpu.put("kind", device.kind());
        gpu.put("name", device.name());
        gpu.put("memory_total", device.memoryBytes());
        if (measuredFree != null) {
            gpu.put("memory_free", measuredFree);
        }
        return gpu;
    }
}
