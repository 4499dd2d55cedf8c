package io.jinference.registry;

import io.jinference.api.HostProfile;
import io.jinference.api.Reason;
import java.util.List;
import org.osgi.framework.Version;

/**
 * One installed engine (one version of it) judged against a model and a host.
 *
 * @param available true when it can run at least one of the requested specs here
 * @param specs what it can run (statically, plus what its probe added), grouped per (format, size)
 * @param reasons why it cannot; empty when available
 * @param runtime what its probe found, or null when not probed
 * @param note the probe's remark, or why no probe ran; null when there is nothing to say
 * @param backend which implementation of the engine ({@code server}, {@code jvm}); null when it has only one
 * @param devices the device kinds it can drive here: the manifest's, plus what its installed runtime adds (a CUDA
 *        build of llama-server adds {@code cuda})
 */
public record EngineCandidate(String engine, Version version, long bundleId, boolean available, List<SpecParams> specs,
        List<Reason> reasons, String runtime, String note, String backend, List<String> devices) {

    public EngineCandidate {
        specs = List.copyOf(specs);
        reasons = List.copyOf(reasons);
        devices = devices == null ? List.of() : List.copyOf(devices);
    }

    /** A candidate whose devices are not known. */
    public EngineCandidate(String engine, Version version, long bundleId, boolean available, List<SpecParams> specs,
            List<Reason> reasons, String runtime, String note, String backend) {
        this(engine, version, bundleId, available, specs, reasons, runtime, note, backend, List.of());
    }

    /** A candidate of an engine with a single implementation. */
    public EngineCandidate(String engine, Version version, long bundleId, boolean available, List<SpecParams> specs,
            List<Reason> reasons, String runtime, String note) {
        this(engine, version, bundleId, available, specs, reasons, runtime, note, null, List.of());
    }

    /** Whether it drives one of the host's GPUs (a device kind other than cpu that the host has). */
    public boolean drivesGpuOf(HostProfile host) {
        return devices.stream().anyMatch(device -> !device.equals("cpu") && host.deviceKinds().contains(device));
    }

    /** "vLLM 0.11.0", "llama.cpp 0.1.0 (server)" */
    public String label() {
        return label(engine, version, backend);
    }

    static String label(String engine, Version version, String backend) {
        return engine + " " + version + (backend == null ? "" : " (" + backend + ")");
    }
}
