package io.jinference.cluster;

import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.XinferenceFamilyJson;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's catalog in line with the cluster's registrations: a custom family registered through any node is
 * registered here too (and so persisted in this node's home), and one unregistered anywhere is removed here. Only the
 * families this sync added, or that the cluster lists, are ever removed: a node's own earlier registrations stay.
 */
final class RegistrationSync {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrationSync.class);

    private final ClusterNode node;
    private final ModelCatalog catalog;
    /** The family names the cluster listed at the last sync. */
    private final Set<String> known = new HashSet<>();
    /** Names whose registration failed here, so the failure is logged once. */
    private final Set<String> refused = new HashSet<>();

    RegistrationSync(ClusterNode node, ModelCatalog catalog) {
        this.node = node;
        this.catalog = catalog;
    }

    void sync() {
        Map<String, String> cluster = node.registrations().entries();
        for (Map.Entry<String, String> entry : cluster.entrySet()) {
            if (catalog.find(entry.getKey()).isPresent() || refused.contains(entry.getKey())) {
                continue;
            }
            try {
                catalog.register(XinferenceFamilyJson.parse(entry.getValue()));
                LOG.info("Registered the cluster's model family {} here", entry.getKey());
            } catch (RuntimeException e) {
                refused.add(entry.getKey());
                LOG.warn("The cluster's model family {} cannot be registered here: {}", entry.getKey(),
                        e.getMessage());
            }
        }
        for (String name : Set.copyOf(known)) {
            if (!cluster.containsKey(name) && catalog.find(name).filter(family -> !family.builtin()).isPresent()) {
                catalog.unregister(name);
                LOG.info("Unregistered model family {} here, as the cluster did", name);
            }
        }
        known.clear();
        known.addAll(cluster.keySet());
        refused.retainAll(cluster.keySet());
    }
}
