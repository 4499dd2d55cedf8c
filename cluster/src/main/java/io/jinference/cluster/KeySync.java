package io.jinference.cluster;

import io.jinference.security.ApiKey;
import io.jinference.security.ApiKeyFile;
import io.jinference.security.Role;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's API key file in line with the cluster's keys (hashes only, never a key itself): a key created
 * with {@code jinf keys create} on any node is accepted by every node, and one revoked on any node is revoked on all.
 * Each node keeps the keys in its own file, so a node's loss, or a restart of every node, loses none. A difference
 * between the file and the cluster is read against the previous sync: what the cluster had and no longer has was
 * revoked elsewhere; what this file had and no longer has was revoked here; anything else is new, and is copied.
 */
final class KeySync {
    private static final Logger LOG = LoggerFactory.getLogger(KeySync.class);

    private final ClusterNode node;
    private final ApiKeyFile file;
    private Set<String> clusterBefore = Set.of();
    private Set<String> fileBefore = Set.of();
    /** Keys revoked here, until the cluster's view no longer lists them (so they are not copied back meanwhile). */
    private final Set<String> revokedHere = new HashSet<>();

    KeySync(ClusterNode node, ApiKeyFile file) {
        this.node = node;
        this.file = file;
    }

    void sync() {
        Map<String, String> cluster = node.apiKeys().entries();
        Map<String, ApiKey> here = new HashMap<>();
        file.read().forEach(key -> here.put(key.id(), key));
        for (ApiKey key : here.values()) {
            if (cluster.containsKey(key.id())) {
                continue;
            }
            if (clusterBefore.contains(key.id())) {
                file.revoke(key.id());
                LOG.info("Revoked API key {} here, as the cluster did", key.id());
            } else {
                node.apiKeys().putMajority(key.id(), ClusterJson.write(entry(key)));
            }
        }
        for (Map.Entry<String, String> listed : cluster.entrySet()) {
            String id = listed.getKey();
            if (here.containsKey(id) || revokedHere.contains(id)) {
                continue;
            }
            if (fileBefore.contains(id)) {
                revokedHere.add(id);
                node.apiKeys().removeMajority(id);
                LOG.info("API key {} was revoked here: revoking it in the cluster", id);
            } else if (file.add(key(ClusterJson.read(listed.getValue(), Map.class)))) {
                LOG.info("Added the cluster's API key {} here", id);
            }
        }
        revokedHere.retainAll(cluster.keySet());
        clusterBefore = Set.copyOf(cluster.keySet());
        fileBefore = Set.copyOf(file.read().stream().map(ApiKey::id).toList());
    }

    private static Map<String, Object> entry(ApiKey key) {
        return Map.of("id", key.id(), "role", key.role().wireName(), "sha256", key.sha256(), "models", key.models());
    }

    private static ApiKey key(Map<?, ?> entry) {
        List<String> models = entry.get("models") instanceof List<?> list
                ? list.stream().map(String::valueOf).toList() : List.of();
        return new ApiKey(String.valueOf(entry.get("id")), Role.parse(String.valueOf(entry.get("role"))),
                String.valueOf(entry.get("sha256")), models);
    }
}
