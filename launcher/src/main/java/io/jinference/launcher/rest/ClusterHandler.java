package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.HostProfile;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** {@code /status} and {@code /v1/cluster/*}: this server is a one-node cluster, supervisor and worker at once. */
final class ClusterHandler {
    private final HostProfile host;
    private final Supplier<String> address;
    private final boolean authEnabled;
    private final long startedMillis = System.currentTimeMillis();

    ClusterHandler(HostProfile host, Supplier<String> address, boolean authEnabled) {
        this.host = host;
        this.address = address;
        this.authEnabled = authEnabled;
    }

    void status(Context ctx) {
        Map<String, Object> worker = new LinkedHashMap<>();
        worker.put("update_time", System.currentTimeMillis() / 1000.0);
        worker.put("failure_remaining_count", 5);
        worker.put("status", Map.of("cpu", cpu()));
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

    void devices(Context ctx) {
        Json.send(ctx, host.gpus().size());
    }
}
