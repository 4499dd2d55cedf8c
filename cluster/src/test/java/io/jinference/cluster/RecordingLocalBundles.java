package io.jinference.cluster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in for a node's hot-plug store in the in-JVM cluster tests (ClusterServeTest replicates real bundle jars
 * between real servers over HTTP): jars are byte arrays, and a fetch reads the stand-in of the node with that HTTP
 * address; the SHA-256 check is the real one.
 */
final class RecordingLocalBundles implements LocalBundles {
    /** Every stand-in by its node's HTTP address: where a fetch goes. */
    static final Map<String, RecordingLocalBundles> BY_HTTP = new ConcurrentHashMap<>();

    private final Map<String, Jar> jars = new ConcurrentHashMap<>();

    private record Jar(ReplicatedBundle bundle, byte[] content) {
    }

    RecordingLocalBundles(String http) {
        BY_HTTP.put(http, this);
    }

    /** As a REST install on this node would. */
    ReplicatedBundle installHere(String symbolicName, String version, byte[] content) {
        ReplicatedBundle bundle = new ReplicatedBundle(sha256(content), symbolicName, version);
        jars.put(bundle.sha256(), new Jar(bundle, content.clone()));
        return bundle;
    }

    boolean has(String sha256) {
        return jars.containsKey(sha256);
    }

    @Override
    public Map<String, ReplicatedBundle> installed() {
        Map<String, ReplicatedBundle> installed = new ConcurrentHashMap<>();
        jars.forEach((sha256, jar) -> installed.put(sha256, jar.bundle()));
        return installed;
    }

    @Override
    public void install(ReplicatedBundle bundle, List<String> nodes) {
        for (String http : nodes) {
            RecordingLocalBundles other = BY_HTTP.get(http);
            Jar jar = other == null ? null : other.jars.get(bundle.sha256());
            if (jar != null) {
                if (!sha256(jar.content()).equals(bundle.sha256())) {
                    throw new IllegalStateException("The jar from " + http + " does not match its SHA-256");
                }
                jars.put(bundle.sha256(), new Jar(bundle, jar.content().clone()));
                return;
            }
        }
        throw new IllegalStateException("No node has the jar " + bundle.sha256());
    }

    @Override
    public void remove(String sha256) {
        jars.remove(sha256);
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }
}
