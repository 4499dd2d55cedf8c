package io.jinference.cluster;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * How this server takes part in a cluster.
 *
 * @param host the address other nodes reach this one at (Pekko's canonical host name; also in this node's HTTP
 *     address, which the other nodes proxy requests to)
 * @param port the Artery (node-to-node) port
 * @param seeds {@code host:port} of the nodes to join; empty to form a new cluster with this node as its seed
 * @param secrets the folder {@code jinf cluster init} made: the cluster's key store and its HTTP key
 * @param httpPort this node's REST port
 */
public record ClusterOptions(String host, int port, List<String> seeds, Path secrets, int httpPort) {
    public ClusterOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(secrets, "secrets");
        seeds = List.copyOf(seeds);
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("--cluster-port must be a port number, got " + port);
        }
        for (String seed : seeds) {
            int colon = seed.lastIndexOf(':');
            if (colon <= 0 || !seed.substring(colon + 1).matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("--cluster-seed takes host:port, got '" + seed + "'");
            }
        }
    }

    /** This node's REST root as the other nodes reach it. */
    public String httpUrl() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + httpPort;
    }
}
