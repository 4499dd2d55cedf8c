package io.jinference.tck;

import io.jinference.hotplug.EngineCapability;
import io.jinference.api.InferenceEngine;
import java.util.List;
import java.util.function.Predicate;

/** The manifest capability is well formed and describes the same engine as the service. */
final class CapabilityChecks {

    private CapabilityChecks() {
    }

    static List<Check> of(List<EngineCapability> capabilities, Predicate<String> resourceExists,
            InferenceEngine engine) {
        return List.of(
                new Check("capability header is well formed", () -> {
                    Expect.isTrue(!capabilities.isEmpty(), "The bundle declares no io.jinference.engine capability "
                            + "(Provide-Capability: io.jinference.engine;engine=...;version:Version=...;...)");
                    for (EngineCapability capability : capabilities) {
                        List<String> problems = capability.problems(resourceExists);
                        Expect.isTrue(problems.isEmpty(), "The capability of engine '" + capability.engine()
                                + "' is malformed: " + String.join("; ", problems));
                    }
                }),
                new Check("engine name equals the capability's engine attribute", () -> {
                    String name = engine.name();
                    Expect.isTrue(capabilities.stream().anyMatch(c -> name != null && name.equals(c.engine())),
                            "InferenceEngine.name() answers '" + name + "' but the capabilities declare "
                                    + capabilities.stream().map(EngineCapability::engine).toList());
                }));
    }
}
