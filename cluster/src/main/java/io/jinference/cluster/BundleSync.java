package io.jinference.cluster;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's REST-installed engine bundles in line with the cluster's: a bundle installed through any node
 * is fetched and installed by every node, and one removed on any node is removed on all, so a node's loss loses no
 * bundle. Only identities travel through Distributed Data (SHA-256, symbolic name, version); the jar itself comes
 * over HTTP from a node that has it. A difference is read against the previous sync, as {@link KeySync} does: what
 * the cluster had and no longer has was removed elsewhere; what this node had and no longer has was removed here;
 * anything else is new, and is copied.
 */
final class BundleSync {
    private static final Logger LOG = LoggerFactory.getLogger(BundleSync.class);
    /** A jar that could not be installed here (no node had it yet, refused by the signer rules) is tried again. */
    private static final long RETRY_MILLIS = 30_000;

    private final ClusterNode node;
    private final LocalBundles bundles;
    private Set<String> clusterBefore = Set.of();
    private Set<String> localBefore = Set.of();
    /** Bundles removed here, until the cluster's view no longer lists them (so they are not fetched back). */
    private final Set<String> removedHere = new HashSet<>();
    /** When a bundle that failed to install here may be tried again, by SHA-256. */
    private final Map<String, Long> retryAt = new HashMap<>();

    BundleSync(ClusterNode node, LocalBundles bundles) {
        this.node = node;
        this.bundles = bundles;
    }

    void sync(ClusterSnapshot cluster) {
        Map<String, String> replicated = node.bundles().entries();
        Map<String, ReplicatedBundle> here = bundles.installed();
        for (ReplicatedBundle bundle : here.values()) {
            if (replicated.containsKey(bundle.sha256())) {
                continue;
            }
            if (clusterBefore.contains(bundle.sha256())) {
                bundles.remove(bundle.sha256());
                LOG.info("Removed bundle {} {} here, as the cluster did", bundle.symbolicName(), bundle.version());
            } else {
                node.bundles().putMajority(bundle.sha256(), ClusterJson.write(bundle.toMap()));
            }
        }
        List<String> others = cluster.liveWorkers().stream().filter(worker -> !worker.node().equals(node.self()))
                .map(WorkerInfo::http).toList();
        for (Map.Entry<String, String> listed : replicated.entrySet()) {
            String sha256 = listed.getKey();
            if (here.containsKey(sha256) || removedHere.contains(sha256)) {
                continue;
            }
            if (localBefore.contains(sha256)) {
                removedHere.add(sha256);
                node.bundles().removeMajority(sha256);
                LOG.info("Bundle {} was removed here: removing it from the cluster", sha256);
            } else if (retryAt.getOrDefault(sha256, 0L) <= System.currentTimeMillis()) {
                install(ReplicatedBundle.fromMap(ClusterJson.read(listed.getValue(), Map.class)), others);
            }
        }
        removedHere.retainAll(replicated.keySet());
        retryAt.keySet().retainAll(replicated.keySet());
        clusterBefore = Set.copyOf(replicated.keySet());
        localBefore = Set.copyOf(bundles.installed().keySet());
    }

    private void install(ReplicatedBundle bundle, List<String> others) {
        try {
            bundles.install(bundle, others);
            retryAt.remove(bundle.sha256());
            LOG.info("Installed the cluster's bundle {} {} here", bundle.symbolicName(), bundle.version());
        } catch (RuntimeException refused) {
            retryAt.put(bundle.sha256(), System.currentTimeMillis() + RETRY_MILLIS);
            LOG.warn("The cluster's bundle {} {} was not installed here (tried again in {} s): {}",
                    bundle.symbolicName(), bundle.version(), RETRY_MILLIS / 1000, refused.getMessage());
        }
    }
}
