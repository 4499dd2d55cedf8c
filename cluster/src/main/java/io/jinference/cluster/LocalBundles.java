package io.jinference.cluster;

import java.util.List;
import java.util.Map;

/** This node's engine bundles installed through REST, as the cluster replicates them (the hot-plug store's view). */
public interface LocalBundles {
    /** The bundles installed here through REST and kept across restarts, by the SHA-256 of their jars. */
    Map<String, ReplicatedBundle> installed();

    /**
     * Fetches the bundle's jar over HTTP from the first of these nodes that has it (authenticated with the cluster
     * key), checks that its SHA-256 is the one replicated, and installs it as a REST install would, under this
     * node's signer rules.
     *
     * @param nodes the HTTP addresses of the other live nodes
     * @throws RuntimeException with the reason when no node had it, it did not match, or it was refused here
     */
    void install(ReplicatedBundle bundle, List<String> nodes);

    /** Uninstalls the bundle whose jar has this SHA-256; one not installed here is ignored. */
    void remove(String sha256);
}
