package io.jinference.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Pekko configuration of a node: cluster provider, Artery over TLS with mutual authentication from the
 * cluster's key store, the seed nodes, the split-brain resolver (keep-majority), and the failure detector and
 * Distributed Data intervals. Values are set as values, never pasted into HOCON text, so a password or a host name
 * cannot change the configuration's shape.
 */
final class PekkoSettings {
    /** The actor system's name: it is part of every node's address, so all nodes must share it. */
    static final String SYSTEM = "jinference";

    private PekkoSettings() {
    }

    static Config of(ClusterOptions options, ClusterSecrets secrets) {
        Map<String, Object> values = new HashMap<>();
        values.put("pekko.actor.provider", "cluster");
        values.put("pekko.loglevel", "INFO");
        values.put("pekko.log-dead-letters", "off");
        values.put("pekko.log-dead-letters-during-shutdown", "off");
        values.put("pekko.remote.artery.transport", "tls-tcp");
        values.put("pekko.remote.artery.canonical.hostname", options.host());
        values.put("pekko.remote.artery.canonical.port", options.port());
        String ssl = "pekko.remote.artery.ssl.config-ssl-engine.";
        values.put(ssl + "key-store", secrets.keyStore().toString());
        values.put(ssl + "trust-store", secrets.keyStore().toString());
        values.put(ssl + "key-store-password", secrets.password());
        values.put(ssl + "key-password", secrets.password());
        values.put(ssl + "trust-store-password", secrets.password());
        values.put(ssl + "protocol", "TLSv1.2");
        values.put(ssl + "enabled-algorithms", List.of("TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"));
        values.put(ssl + "require-mutual-authentication", "on");
        // nodes find each other by address and all hold the one cluster certificate: there is no host name to check
        values.put(ssl + "hostname-verification", "off");
        values.put("pekko.cluster.seed-nodes", seedAddresses(options));
        values.put("pekko.cluster.downing-provider-class", "org.apache.pekko.cluster.sbr.SplitBrainResolverProvider");
        values.put("pekko.cluster.split-brain-resolver.active-strategy", "keep-majority");
        // how long membership must be stable before the resolver downs the unreachable side (default 20 s)
        values.put("pekko.cluster.split-brain-resolver.stable-after", "7s");
        values.put("pekko.cluster.distributed-data.notify-subscribers-interval", "200ms");
        values.put("pekko.cluster.distributed-data.gossip-interval", "1s");
        // this node's JVM is the server's: Pekko stops its actor system when the node is downed, never the JVM
        values.put("pekko.coordinated-shutdown.exit-jvm", "off");
        return ConfigFactory.parseMap(values).withFallback(ConfigFactory.defaultReference(PekkoSettings.class
                .getClassLoader())).resolve();
    }

    /** The seeds as Pekko addresses; no seeds means this node starts a new cluster and is its own seed. */
    static List<String> seedAddresses(ClusterOptions options) {
        List<String> seeds = new ArrayList<>();
        List<String> given = options.seeds().isEmpty()
                ? List.of(hostPort(options.host(), options.port())) : options.seeds();
        for (String seed : given) {
            seeds.add("pekko://" + SYSTEM + "@" + seed);
        }
        return seeds;
    }

    private static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
