package io.jinference.hotplug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SHA-256 of the store's jars, computed once per file version: a cluster asks for them every tick, and a jar
 * with native libraries is large. A jar is replaced only by an atomic rename (an update), which changes its
 * modification time or size, so the cached digest of an unchanged file stays right.
 */
final class JarDigests {
    private record Version(Path file, long size, FileTime modified) {
    }

    private final Map<Version, String> digests = new ConcurrentHashMap<>();

    String sha256(Path jar) throws IOException {
        Version version = new Version(jar, Files.size(jar), Files.getLastModifiedTime(jar));
        String known = digests.get(version);
        if (known != null) {
            return known;
        }
        String digest = BundleStore.sha256(jar);
        digests.keySet().removeIf(old -> old.file().equals(jar));
        digests.put(version, digest);
        return digest;
    }

    /** Forgets the digests of jars no longer in the store. */
    void retain(java.util.Set<Path> jars) {
        digests.keySet().removeIf(version -> !jars.contains(version.file()));
    }
}
