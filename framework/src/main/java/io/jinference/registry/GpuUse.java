package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The part of a choice's "why" that concerns the host's GPUs: on a host with a GPU, whether the chosen engine's
 * installed runtime drives it, and when it does not, the command that would install one that does (the engine's
 * {@value EngineNamespace#GPU_INSTALL} attribute).
 */
final class GpuUse {
    private GpuUse() {
    }

    /** "" on a host without GPUs; else a sentence starting with "; ". */
    static String why(EngineCandidate chosen, EngineDescriptor descriptor, HostProfile host) {
        List<String> gpuKinds = host.deviceKinds().stream().filter(kind -> !kind.equals("cpu")).toList();
        if (gpuKinds.isEmpty()) {
            return "";
        }
        String gpus = describeGpus(host);
        if (chosen.drivesGpuOf(host)) {
            List<String> driven = chosen.devices().stream().filter(gpuKinds::contains).toList();
            return "; it runs on the GPU: its runtime drives " + String.join(", ", driven) + " and this host has "
                    + gpus;
        }
        String sentence = "; it runs on the CPU only, although this host has " + gpus + ": its runtime drives "
                + (chosen.devices().isEmpty() ? "cpu" : String.join(", ", chosen.devices())) + " only";
        Object install = descriptor.attributes().get(EngineNamespace.GPU_INSTALL);
        if (install != null && !install.toString().isBlank()) {
            sentence += "; `" + install.toString().replace("{kind}", buildKind(gpuKinds.get(0)))
                    + "` installs a runtime that uses the GPU";
        }
        return sentence;
    }

    /** "1 CUDA device (NVIDIA H200)", "2 CUDA devices (NVIDIA H200, NVIDIA H200)", "Apple's GPU (mps)". */
    static String describeGpus(HostProfile host) {
        if (host.gpus().isEmpty()) {
            return "Apple's GPU (mps)";
        }
        return host.deviceKinds().stream().filter(kind -> !kind.equals("cpu") && !kind.equals("mps")).map(kind -> {
            List<GpuDevice> ofKind = host.gpus().stream().filter(gpu -> gpu.kind().equals(kind)).toList();
            return ofKind.size() + " " + kind.toUpperCase(java.util.Locale.ROOT)
                    + (ofKind.size() == 1 ? " device (" : " devices (")
                    + ofKind.stream().map(GpuDevice::name).collect(Collectors.joining(", ")) + ")";
        }).collect(Collectors.joining(" and "));
    }

    /** The backend a build takes for a host device kind: Apple's GPU (mps) is driven through Metal. */
    private static String buildKind(String deviceKind) {
        return deviceKind.equals("mps") ? "metal" : deviceKind;
    }
}
