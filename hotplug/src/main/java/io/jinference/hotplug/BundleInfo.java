package io.jinference.hotplug;

import io.jinference.api.EngineNamespace;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.wiring.BundleRevision;

/**
 * One installed bundle as {@code GET /v1/engine-bundles} lists it.
 *
 * @param engines the declared {@code io.jinference.engine} capabilities, attribute by attribute (as strings)
 */
public record BundleInfo(long id, String symbolicName, String version, String state, String role, String location,
        List<Map<String, String>> engines) {

    public BundleInfo {
        engines = List.copyOf(engines);
    }

    public static BundleInfo of(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<Map<String, String>> engines = revision == null ? List.of()
                : revision.getDeclaredCapabilities(EngineNamespace.NAMESPACE).stream()
                        .map(capability -> {
                            Map<String, String> attributes = new TreeMap<>();
                            capability.getAttributes().forEach((key, value) -> attributes.put(key, String.valueOf(value)));
                            return Map.copyOf(attributes);
                        })
                        .toList();
        return new BundleInfo(bundle.getBundleId(), bundle.getSymbolicName(), bundle.getVersion().toString(),
                stateName(bundle.getState()), BundleRole.of(bundle).wireName(), bundle.getLocation(), engines);
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "installed";
            case Bundle.RESOLVED -> "resolved";
            case Bundle.STARTING -> "starting";
            case Bundle.STOPPING -> "stopping";
            case Bundle.ACTIVE -> "active";
            default -> "uninstalled";
        };
    }
}
