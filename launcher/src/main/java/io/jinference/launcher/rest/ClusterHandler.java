package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.HostProfile;
import io.jinference.host.GpuStatus;
import io.jinference.runtime.GpuUse;
import io.jinference.runtime.ModelManager;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /status} and {@code /v1/cluster/*}: this server is a one-node cluster, supervisor and worker at once. */
final class ClusterHandler {
    private final HostProfile host;
    private final ModelManager models;
    private final Supplier<String> address;
    private final boolean authEnabled;
    private final long startedMillis = System.currentTimeMillis();

    ClusterHandler(HostProfile host, ModelManager models, Supplier<String> address, boolean authEnabled) {
        this.host = host;
        this.models = models;
        this.address = address;
        this.authEnabled = authEnabled;
    }

    void status(Context ctx) {
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("update_time", System.currentTimeMillis() / 1000.0);
        worker.put("failure_remaining_count", 5);
        Map<String, Object> devices = new LinkedHashMap<>();
        devices.put("cpu", cpu());
        // Xinference's keys per GPU ("gpu-0": name, mem_*), plus the models placed on it
        models.gpuUse().forEach(use -> devices.put("gpu-" + use.gpu().index(), xinferenceGpu(use)));
        worker.put("status", devices);
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("uptime", (System.currentTimeMillis() - startedMillis) / 1000);
        status.put("workers", Map.of(address.get(), worker));
        Json.send(ctx, status);
    }

    private Map<String, Object> cpu() {
        Map<String, Object> cpu = new LinkedHashMap<>();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        cpu.put("usage", load < 0 ? 0.0 : Math.min(1.0, load / host.cpuCores()));
        cpu.put("total", host.cpuCores());
        Runtime runtime = Runtime.getRuntime();
        cpu.put("memory_used", runtime.totalMemory() - runtime.freeMemory());
        cpu.put("memory_available", host.memoryBytes() - (runtime.totalMemory() - runtime.freeMemory()));
        cpu.put("memory_total", host.memoryBytes());
        return cpu;
    }

    void auth(Context ctx) {
        Json.send(ctx, Map.of("auth", authEnabled));
    }

    void info(Context ctx) {
        Json.send(ctx, List.of(nodeInfo("Supervisor"), nodeInfo("Worker")));
    }

    /** One node of {@code /v1/cluster/info}: this server is the supervisor and the only worker. */
    Map<String, Object> nodeInfo(String nodeType) {
        String ip = address.get().substring(0, address.get().lastIndexOf(':'));
        boolean worker = nodeType.equals("Worker");
        long vram = host.gpus().stream().mapToLong(gpu -> gpu.memoryBytes()).sum();
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("node_type", nodeType);
        node.put("ip_address", ip);
        node.put("gpu_count", worker ? host.gpus().size() : 0);
        node.put("gpu_vram_total", worker ? vram / (1024 * 1024) + "MiB" : 0);
        return node;
    }

    /**
     * Xinference's answer is the GPU count, and its client reads it as an int; {@code ?detailed=true} lists each GPU
     * with its memory now and the models placed on it.
     */
    void devices(Context ctx) {
        if (!"true".equalsIgnoreCase(ctx.queryParam("detailed"))) {
            Json.send(ctx, host.gpus().size());
            return;
        }
        Json.send(ctx, models.gpuUse().stream().map(ClusterHandler::detailedGpu).toList());
    }

    private static Map<String, Object> xinferenceGpu(GpuUse use) {
        GpuStatus gpu = use.gpu();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("name", gpu.name());
        status.put("mem_total", gpu.memoryTotalBytes());
        status.put("mem_free", gpu.memoryFreeBytes());
        status.put("mem_used", gpu.memoryUsedBytes());
        status.put("mem_usage", gpu.memoryTotalBytes() == 0 ? 0.0
                : (double) gpu.memoryUsedBytes() / gpu.memoryTotalBytes());
        status.put("models", use.models());
        status.put("measured", gpu.measured());
        return status;
    }

    private static Map<String, Object> detailedGpu(GpuUse use) {
        GpuStatus gpu = use.gpu();
        Map<String, Object> device = new LinkedHashMap<>();
        device.put("index", gpu.index());
        device.put("kind", gpu.kind());
        device.put("name", gpu.name());
        device.put("compute_capability", gpu.computeCapability());
        device.put("memory_total", gpu.memoryTotalBytes());
        device.put("memory_free", gpu.memoryFreeBytes());
        device.put("memory_used", gpu.memoryUsedBytes());
        device.put("measured", gpu.measured());
        device.put("models", use.models());
        return device;
    }
}
