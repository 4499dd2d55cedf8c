package io.jinference.host;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import java.util.List;

/**
 * Reads the host's GPUs as they are now. On a probed host with CUDA GPUs each {@link #read()} asks nvidia-smi again,
 * so the free memory it reports includes whatever the models launched since have taken; on a given host profile
 * there is nothing to ask, and every GPU's memory is reported free (and marked not measured).
 */
public final class GpuMonitor {
    private final HostProfile host;

    private GpuMonitor(HostProfile host) {
        this.host = host;
    }

    public static GpuMonitor of(HostProfile host) {
        return new GpuMonitor(host);
    }

    public List<GpuStatus> read() {
        if (host.gpus().isEmpty()) {
            return List.of();
        }
        if (host.probed() && host.gpuCount("cuda") > 0) {
            List<GpuStatus> now = NvidiaSmi.status();
            if (!now.isEmpty()) {
                return now;
            }
        }
        return host.gpus().stream().map(GpuMonitor::assumedFree).toList();
    }

    private static GpuStatus assumedFree(GpuDevice gpu) {
        return new GpuStatus(gpu.index(), gpu.kind(), gpu.name(), gpu.memoryBytes(), gpu.memoryBytes(),
                gpu.computeCapability(), false);
    }
}
