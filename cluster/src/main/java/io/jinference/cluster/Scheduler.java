package io.jinference.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Picks the worker for a model: filter (the worker the launch names by {@code worker_ip}, the engine it names
 * installed there, the GPUs it asks for by {@code n_gpu} or {@code gpu_idx}), fit (the memory estimate against the
 * worker's free memory, less what models placed there but not yet loaded will take; for a GPU launch, an equal share
 * of the estimate against each chosen GPU's memory, less the shares of the cluster's models placed on it), score
 * (spread: the most memory left free; binpack: the least, as the launch's {@code placement_strategy} says). Every
 * worker's verdict goes into the placement, so that {@code GET /v1/models/{uid}} and a refusal say why.
 */
public final class Scheduler {
    private Scheduler() {
    }

    /**
     * @param workers the live workers
     * @param pendingBytes per worker node, the estimates of models placed there that its inventory does not list yet
     * @param gpuBytes per worker node and GPU index, the shares of the cluster's models placed on that GPU
     * @param generation the placement's generation (previous + 1 when the model moves)
     * @param otherCopies the workers that hold another copy of the model (a copy needs a worker of its own)
     */
    public static Placement place(ModelRequest request, Collection<WorkerInfo> workers, Map<String, Long> pendingBytes,
            Map<String, Map<Integer, Long>> gpuBytes, int generation, Set<String> otherCopies) {
        long need = request.estimateBytes();
        PlacementStrategy strategy = request.strategy();
        List<Map<String, Object>> verdicts = new ArrayList<>();
        WorkerInfo best = null;
        Fit bestFit = null;
        for (WorkerInfo worker : workers.stream().sorted(Comparator.comparing(WorkerInfo::node)).toList()) {
            long free = worker.memoryFreeBytes() - pendingBytes.getOrDefault(worker.node(), 0L);
            Map<String, Object> verdict = new LinkedHashMap<>();
            verdict.put("node", worker.node());
            verdict.put("http", worker.http());
            verdict.put("memory_free_bytes", free);
            Fit fit = otherCopies.contains(worker.node()) ? Fit.no("it holds another copy of this model")
                    : fit(request, worker, need, free, gpuBytes.getOrDefault(worker.node(), Map.of()), verdict);
            verdict.put("fits", fit.refusal() == null);
            if (fit.refusal() != null) {
                verdict.put("why_not", fit.refusal());
            } else if (bestFit == null || strategy.better(fit.left(), bestFit.left())) {
                best = worker;
                bestFit = fit;
            }
            verdicts.add(verdict);
        }
        String estimate = need > 0 ? "needs " + MemoryEstimate.mib(need) : "has no memory estimate (no local GGUF)";
        if (best == null) {
            return new Placement(request.uid(), null, null, "Model " + request.uid() + " " + estimate
                    + " and fits on none of the " + workers.size() + " workers: " + summary(verdicts), verdicts,
                    generation, List.of());
        }
        String where = bestFit.gpus().isEmpty() ? "" : " on GPU " + bestFit.gpus();
        String why = "Placed on " + best.node() + where + ": the model " + estimate + ", and "
                + MemoryEstimate.mib(bestFit.left()) + " stay free there, the " + (strategy == PlacementStrategy.SPREAD
                        ? "most" : "least") + " of the " + workers.size() + " workers (" + strategy.label() + "; "
                + summary(verdicts) + ")";
        return new Placement(request.uid(), best.node(), best.http(), why, verdicts, generation, bestFit.gpus());
    }

    /**
     * Whether the model fits on a worker.
     *
     * @param left what stays free after it: of the worker's memory, or of the fullest chosen GPU
     * @param gpus the GPUs chosen for it (empty for a launch that asks for none)
     */
    private record Fit(String refusal, long left, List<Integer> gpus) {
        static Fit no(String refusal) {
            return new Fit(refusal, 0, List.of());
        }
    }

    private static Fit fit(ModelRequest request, WorkerInfo worker, long need, long free, Map<Integer, Long> gpuBytes,
            Map<String, Object> verdict) {
        if (request.workerIp() != null && !request.workerIp().equals(worker.ip())) {
            return Fit.no("worker_ip asks for " + request.workerIp());
        }
        Object engine = request.launch().get("model_engine");
        if (engine != null && worker.engines().stream().noneMatch(installed ->
                installed.toLowerCase(Locale.ROOT).startsWith(engine.toString().toLowerCase(Locale.ROOT) + " "))) {
            return Fit.no("engine " + engine + " is not installed there");
        }
        if (request.gpuCount() > 0) {
            return gpuFit(request, worker, need, gpuBytes, verdict);
        }
        if (need > free) {
            return Fit.no("only " + MemoryEstimate.mib(Math.max(free, 0)) + " free");
        }
        return new Fit(null, free - need, List.of());
    }

    /** Each of the GPUs the launch asks for takes an equal share of the estimate, as a layer split does. */
    private static Fit gpuFit(ModelRequest request, WorkerInfo worker, long need, Map<Integer, Long> gpuBytes,
            Map<String, Object> verdict) {
        Map<Integer, Long> gpuFree = new TreeMap<>();
        for (Map<String, Object> gpu : worker.gpus()) {
            if (gpu.get("index") instanceof Number index && gpu.get("memory_total") instanceof Number total) {
                long free = total.longValue() - gpuBytes.getOrDefault(index.intValue(), 0L);
                // The driver's figure also counts what is not the cluster's (another process, a model that took
                // more than its share); the shares count what is placed but not loaded yet. The lower one holds.
                if (gpu.get("memory_free") instanceof Number measured) {
                    free = Math.min(free, measured.longValue());
                }
                gpuFree.put(index.intValue(), free);
            }
        }
        verdict.put("gpus_free_bytes", gpuFree);
        int count = request.gpuCount();
        if (gpuFree.size() < count) {
            return Fit.no("it has " + gpuFree.size() + " GPU(s), the launch asks for " + count);
        }
        long share = (need + count - 1) / count;
        List<Integer> chosen;
        if (!request.gpuIndexes().isEmpty()) {
            chosen = request.gpuIndexes();
            for (int index : chosen) {
                if (!gpuFree.containsKey(index)) {
                    return Fit.no("it has no GPU " + index + " (gpu_idx)");
                }
            }
        } else {
            Comparator<Integer> byFree = Comparator.comparing(gpuFree::get);
            chosen = gpuFree.keySet().stream().filter(index -> gpuFree.get(index) >= share)
                    .sorted(request.strategy() == PlacementStrategy.SPREAD ? byFree.reversed() : byFree)
                    .limit(count).sorted().toList();
            if (chosen.size() < count) {
                return Fit.no("only " + chosen.size() + " of its GPUs have " + MemoryEstimate.mib(share) + " free");
            }
        }
        long left = Long.MAX_VALUE;
        for (int index : chosen) {
            if (gpuFree.get(index) < share) {
                return Fit.no("GPU " + index + " has only " + MemoryEstimate.mib(Math.max(gpuFree.get(index), 0))
                        + " free for a share of " + MemoryEstimate.mib(share));
            }
            left = Math.min(left, gpuFree.get(index) - share);
        }
        return new Fit(null, left, chosen);
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
