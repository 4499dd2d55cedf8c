package io.jinference.runtime;

import io.jinference.host.GpuStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which GPUs a model gets, from Xinference's launch keys:
 * <ul>
 *   <li>{@code gpu_idx} (an index, a list, or "0,1"): exactly those GPUs; it overrides {@code n_gpu};</li>
 *   <li>{@code n_gpu} absent or {@code "auto"}: one GPU, the one with the most free memory now, when the chosen
 *       engine's runtime drives the host's GPUs; else none;</li>
 *   <li>{@code n_gpu} a count: that many GPUs, those with the most free memory (llama.cpp splits the layers over
 *       them, vLLM and SGLang run tensor parallel over them);</li>
 *   <li>{@code n_gpu} {@code 0}, {@code null} (JSON null) or {@code "cpu"}: none, the model runs on the CPU.</li>
 * </ul>
 * Free memory is read at each launch, after the models launched before have taken theirs, so a second model goes
 * to the GPU with room; equal free memory goes to the GPU fewer models use, then the lower index.
 */
final class GpuPlacement {
    static final String N_GPU = "n_gpu";
    static final String GPU_IDX = "gpu_idx";
    /** What the REST layer puts for an explicit JSON null (Xinference's "CPU only"). */
    static final String CPU = "cpu";

    private GpuPlacement() {
    }

    /**
     * @param drivesGpu whether the chosen engine's runtime drives the host's GPUs
     * @param engineLabel the chosen engine, for the refusal
     * @param modelsPerGpu how many launched models use each GPU index
     * @throws LaunchException when the keys are malformed, name GPUs the host lacks, or ask a CPU-only engine for GPUs
     */
    static List<Integer> place(Map<String, Object> options, List<GpuStatus> gpus, boolean drivesGpu,
            String engineLabel, Map<Integer, Integer> modelsPerGpu) {
        Object indexes = options.get(GPU_IDX);
        if (indexes != null) {
            List<Integer> asked = indexes(indexes);
            requireGpuEngine(drivesGpu, engineLabel, GPU_IDX + "=" + asked);
            Set<Integer> present = new LinkedHashSet<>(gpus.stream().map(GpuStatus::index).toList());
            List<Integer> missing = asked.stream().filter(index -> !present.contains(index)).toList();
            if (!missing.isEmpty()) {
                throw new LaunchException("gpu_idx names GPU " + missing + ", which this host does not have; its GPUs: "
                        + (present.isEmpty() ? "none" : present.toString()));
            }
            return asked;
        }
        Integer count = count(options.get(N_GPU), options.containsKey(N_GPU));
        if (count == null) {
            return drivesGpu && !gpus.isEmpty() ? mostFree(gpus, 1, modelsPerGpu) : List.of();
        }
        if (count == 0) {
            return List.of();
        }
        requireGpuEngine(drivesGpu, engineLabel, N_GPU + "=" + count);
        if (count > gpus.size()) {
            throw new LaunchException("n_gpu=" + count + " asks for more GPUs than this host has (" + gpus.size() + ")");
        }
        return mostFree(gpus, count, modelsPerGpu);
    }

    private static void requireGpuEngine(boolean drivesGpu, String engineLabel, String asked) {
        if (!drivesGpu) {
            throw new LaunchException(asked + " asks for GPUs, but " + engineLabel + " runs on the CPU only here (its"
                    + " installed runtime drives no GPU of this host; GET /v1/engines/{model}/explain says which would)");
        }
    }

    private static List<Integer> mostFree(List<GpuStatus> gpus, int count, Map<Integer, Integer> modelsPerGpu) {
        return gpus.stream()
                .sorted(Comparator.comparingLong(GpuStatus::memoryFreeBytes).reversed()
                        .thenComparingInt(gpu -> modelsPerGpu.getOrDefault(gpu.index(), 0))
                        .thenComparingInt(GpuStatus::index))
                .limit(count).map(GpuStatus::index).sorted().toList();
    }

    /** null for "auto" (or absent); 0 for CPU only. */
    private static Integer count(Object value, boolean present) {
        if (!present) {
            return null;
        }
        if (value == null) {
            return 0;
        }
        String text = value.toString().trim().toLowerCase(Locale.ROOT);
        if (text.equals("auto")) {
            return null;
        }
        if (text.equals(CPU)) {
            return 0;
        }
        try {
            int count = value instanceof Number number && number.doubleValue() == number.intValue()
                    ? number.intValue() : Integer.parseInt(text);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // refused below with what is accepted
        }
        throw new LaunchException("n_gpu must be \"auto\", a number of GPUs (0 or more) or null for the CPU; got '"
                + value + "'");
    }

    private static List<Integer> indexes(Object value) {
        Collection<?> items = value instanceof Collection<?> collection ? collection
                : List.of(value.toString().split(","));
        List<Integer> indexes = new ArrayList<>();
        for (Object item : items) {
            String text = String.valueOf(item).trim();
            try {
                int index = item instanceof Number number && number.doubleValue() == number.intValue()
                        ? number.intValue() : Integer.parseInt(text);
                if (index < 0 || indexes.contains(index)) {
                    throw new NumberFormatException();
                }
                indexes.add(index);
            } catch (NumberFormatException e) {
                throw new LaunchException("gpu_idx must be a GPU index or a list of distinct ones (0, [0, 1] or"
                        + " \"0,1\"); got '" + value + "'");
            }
        }
        if (indexes.isEmpty()) {
            throw new LaunchException("gpu_idx is empty; leave it out to let Jinference choose");
        }
        return indexes;
    }
}
