package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.javalin.config.RoutesConfig;
import io.jinference.api.HostProfile;
import io.jinference.cluster.FreeMemory;
import io.jinference.cluster.MemberInfo;
import io.jinference.cluster.WorkerInfo;
import io.jinference.runtime.ModelManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A server without cluster options is a cluster of one: {@code /v1/cluster/status} says so, in the same shape. */
public final class ClusterOfOne {
    private static final ObjectMapper SNAKE = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    private ClusterOfOne() {
    }

    /**
     * {@code GET /v1/cluster/status} of a server that serves alone: a cluster of one, this server its supervisor and
     * only worker, and no Pekko behind it.
     */
    public static void register(RoutesConfig routes, HostProfile host, ModelManager models) {
        ClusterLocalModels local = new ClusterLocalModels(models);
        routes.get("/v1/cluster/status", ctx -> {
            String self = "this server";
            WorkerInfo worker = new WorkerInfo(self, "http://" + ctx.host(), host.cpuCores(), host.memoryBytes(),
                    FreeMemory.of(host, 0), List.of(), List.of(), local.held(), System.currentTimeMillis());
            Map<String, Object> status = new LinkedHashMap<>();
            status.put("self", self);
            status.put("joined", false);
            status.put("supervisor", self);
            status.put("members", List.of(snake(new MemberInfo(self, "up", true, List.of("supervisor", "worker")))));
            status.put("workers", Map.of(self, snake(worker)));
            status.put("placements", Map.of());
            Json.send(ctx, status);
        });
    }

    private static Object snake(Object record) {
        return SNAKE.convertValue(record, Object.class);
    }
}
