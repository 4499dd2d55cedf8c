package io.jinference.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the worker for a model: filter (the worker the launch names by {@code worker_ip}, the engine it names
 * installed there), fit (the memory estimate against the worker's free memory, less what models placed there but not
 * yet loaded will take), score (the most free memory left: models spread over the workers). Every worker's verdict
 * goes into the placement, so that {@code GET /v1/models/{uid}} and a refusal say why.
 */
public final class Scheduler {
    private Scheduler() {
    }

    /**
     * @param workers the live workers
     * @param pendingBytes per worker node, the estimates of models placed there that its inventory does not list yet
     * @param generation the placement's generation (previous + 1 when the model moves)
     * @param otherCopies the workers that hold another copy of the model (a copy needs a worker of its own)
     */
    public static Placement place(ModelRequest request, Collection<WorkerInfo> workers, Map<String, Long> pendingBytes,
            int generation, java.util.Set<String> otherCopies) {
        long need = request.estimateBytes();
        List<Map<String, Object>> verdicts = new ArrayList<>();
        WorkerInfo best = null;
        long bestLeft = Long.MIN_VALUE;
        for (WorkerInfo worker : workers.stream().sorted(Comparator.comparing(WorkerInfo::node)).toList()) {
            long free = worker.memoryFreeBytes() - pendingBytes.getOrDefault(worker.node(), 0L);
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("node", worker.node());
            verdict.put("http", worker.http());
            verdict.put("memory_free_bytes", free);
            String refusal = otherCopies.contains(worker.node()) ? "it holds another copy of this model"
                    : refusal(request, worker, need, free);
            verdict.put("fits", refusal == null);
            if (refusal != null) {
                verdict.put("why_not", refusal);
            } else if (free - need > bestLeft) {
                best = worker;
                bestLeft = free - need;
            }
            verdicts.add(verdict);
        }
        String estimate = need > 0 ? "needs " + MemoryEstimate.mib(need) : "has no memory estimate (no local GGUF)";
        if (best == null) {
            return new Placement(request.uid(), null, null, "Model " + request.uid() + " " + estimate
                    + " and fits on none of the " + workers.size() + " workers: " + summary(verdicts), verdicts,
                    generation);
        }
        String why = "Placed on " + best.node() + ": the model " + estimate + ", and " + MemoryEstimate.mib(bestLeft)
                + " stay free there, the most of the " + workers.size() + " workers (" + summary(verdicts) + ")";
        return new Placement(request.uid(), best.node(), best.http(), why, verdicts, generation);
    }

    private static String refusal(ModelRequest request, WorkerInfo worker, long need, long free) {
        if (request.workerIp() != null && !request.workerIp().equals(worker.ip())) {
            return "worker_ip asks for " + request.workerIp();
        }
        Object engine = request.launch().get("model_engine");
        if (engine != null && worker.engines().stream().noneMatch(installed ->
                installed.toLowerCase(java.util.Locale.ROOT).startsWith(engine.toString().toLowerCase(java.util.Locale.ROOT) + " "))) {
            return "engine " + engine + " is not installed there";
        }
        if (need > free) {
            return "only " + MemoryEstimate.mib(Math.max(free, 0)) + " free";
        }
        return null;
    }

    private static String summary(List<Map<String, Object>> verdicts) {
        List<String> parts = new ArrayList<>();
        for (Map<String, Object> verdict : verdicts) {
            parts.add(verdict.get("node") + " " + MemoryEstimate.mib(((Number) verdict.get("memory_free_bytes")).longValue())
                    + " free" + (verdict.containsKey("why_not") ? " (" + verdict.get("why_not") + ")" : ""));
        }
        return String.join("; ", parts);
    }
}
