package io.jinference.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a host offers to engines. Either probed from the machine the server runs on, or given (a preset or JSON)
 * to ask "what could run on such a host?"; for a given profile the registry matches statically and does not run
 * engine probes.
 *
 * @param os {@code linux}, {@code macos} or {@code windows}
 * @param arch {@code x86_64} or {@code aarch64}
 * @param cpuCores logical cores
 * @param memoryBytes total physical memory
 * @param cpuFeatures e.g. avx2, avx512f, neon
 * @param gpus accelerators, empty on a CPU-only host
 * @param appleSilicon true on an Apple M-series machine (MLX, Metal)
 * @param probed true when read from this machine, false when given
 */
public record HostProfile(String os, String arch, int cpuCores, long memoryBytes, List<String> cpuFeatures,
        List<GpuDevice> gpus, boolean appleSilicon, boolean probed) {

    public HostProfile {
        cpuFeatures = List.copyOf(cpuFeatures);
        gpus = List.copyOf(gpus);
    }

    /** The device kinds this host can run on: always {@code cpu}, plus each GPU kind, plus {@code mps} on Apple silicon. */
    public Set<String> deviceKinds() {
        Set<String> kinds = new LinkedHashSet<>();
        kinds.add("cpu");
        gpus.forEach(gpu -> kinds.add(gpu.kind()));
        if (appleSilicon) {
            kinds.add("mps");
        }
        return kinds;
    }

    public long gpuCount(String kind) {
        return gpus.stream().filter(gpu -> gpu.kind().equals(kind)).count();
    }
}
