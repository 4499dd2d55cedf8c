package io.jinference.cluster;

import java.util.Map;

/**
 * An engine bundle as the cluster replicates it: its identity only; each node fetches the jar itself.
 *
 * @param sha256 the jar's SHA-256, lowercase hex: what a node checks the fetched jar against
 */
public record ReplicatedBundle(String sha256, String symbolicName, String version) {
    public ReplicatedBundle {
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("A bundle's SHA-256 is 64 lowercase hex digits");
        }
    }

    Map<String, Object> toMap() {
        return Map.of("sha256", sha256, "symbolic_name", symbolicName, "version", version);
    }

    static ReplicatedBundle fromMap(Map<?, ?> map) {
        return new ReplicatedBundle(String.valueOf(map.get("sha256")), String.valueOf(map.get("symbolic_name")),
                String.valueOf(map.get("version")));
    }
}
