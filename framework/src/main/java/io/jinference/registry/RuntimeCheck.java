package io.jinference.registry;

import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.ProbeResult;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime half of judging an engine. On a probed host the engine must be active with its service registered, and
 * its probe may refuse (RUNTIME_MISSING) or add capabilities to the manifest's; on a given host nothing is probed.
 */
final class RuntimeCheck {
    /**
     * @param attributes the capability attributes to match: the manifest's, plus what the probe added
     * @param runtime what the probe found, or null
     * @param note the probe's remark, or why no probe ran
     */
    record Result(List<Reason> reasons, Map<String, Object> attributes, String runtime, String note) {
    }

    private RuntimeCheck() {
    }

    static Result run(EngineRegistry registry, EngineDescriptor descriptor, HostProfile host) {
        if (!host.probed()) {
            return new Result(List.of(), descriptor.attributes(), null,
                    "runtime checks not applicable: the host profile was given, not probed");
        }
        if (!registry.isActive(descriptor)) {
            return notActive(descriptor, "bundle " + descriptor.symbolicName() + " (id " + descriptor.bundleId()
                    + ") is installed but not started, so " + descriptor.label() + " cannot be probed or used; start the bundle");
        }
        Optional<InferenceEngine> service = registry.service(descriptor);
        if (service.isEmpty()) {
            return notActive(descriptor, "bundle " + descriptor.symbolicName()
                    + " is started but has not registered its InferenceEngine service for " + descriptor.engine());
        }
        ProbeResult probe = probe(service.get(), host, descriptor);
        if (!probe.available()) {
            Reason reason = probe.reason() != null ? probe.reason()
                    : new Reason(ReasonCode.RUNTIME_MISSING, descriptor.label() + " reports its runtime unavailable");
            return new Result(List.of(reason), descriptor.attributes(), probe.runtime(), probe.note());
        }
        return new Result(List.of(), withExtras(descriptor.attributes(), probe.extraCapabilities()), probe.runtime(), probe.note());
    }

    private static Result notActive(EngineDescriptor descriptor, String message) {
        return new Result(List.of(new Reason(ReasonCode.ENGINE_NOT_ACTIVE, message)), descriptor.attributes(), null, null);
    }

    private static ProbeResult probe(InferenceEngine engine, HostProfile host, EngineDescriptor descriptor) {
        try {
            ProbeResult result = engine.probe(host);
            return result != null ? result : ProbeResult.missing(descriptor.label() + " answered its probe with nothing");
        } catch (RuntimeException e) {
            return ProbeResult.missing(descriptor.label() + " failed its runtime probe: " + e.getMessage());
        }
    }

    /** The manifest's attributes with the values the runtime probe found added to each list. */
    private static Map<String, Object> withExtras(Map<String, Object> attributes, Map<String, List<String>> extras) {
        if (extras.isEmpty()) {
            return attributes;
        }
        Map<String, Object> merged = new HashMap<>(attributes);
        extras.forEach((key, values) -> {
            List<String> combined = new ArrayList<>(CapabilityReader.strings(merged.get(key)));
            values.stream().filter(value -> !combined.contains(value)).forEach(combined::add);
            merged.put(key, combined);
        });
        return merged;
    }
}
