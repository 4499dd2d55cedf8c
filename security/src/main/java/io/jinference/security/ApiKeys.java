package io.jinference.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys a server accepts, reread from the key file whenever it changes (a key created or revoked while the
 * server runs takes effect at the next request). Lookups compare hashes in constant time and always visit every key,
 * so the answer time does not tell how much of a guess was right.
 */
public final class ApiKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeys.class);

    private final ApiKeyFile file;
    private volatile Snapshot snapshot;

    private record Snapshot(FileTime modified, List<ApiKey> keys) {
    }

    public ApiKeys(ApiKeyFile file) {
        this.file = file;
        this.snapshot = new Snapshot(modified(), file.read());
    }

    /** The file the keys are read from (a cluster node replicates it). */
    public ApiKeyFile file() {
        return file;
    }

    public Optional<ApiKey> authenticate(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] hash = KeyHashes.sha256(presented);
        ApiKey found = null;
        for (ApiKey key : current()) {
            if (MessageDigest.isEqual(hash, HexFormat.of().parseHex(key.sha256())) && found == null) {
                found = key;
            }
        }
        return Optional.ofNullable(found);
    }

    private List<ApiKey> current() {
        FileTime modified = modified();
        Snapshot known = snapshot;
        if (!modified.equals(known.modified())) {
            try {
                snapshot = new Snapshot(modified, file.read());
                LOG.info("Reread {} API keys from {}", snapshot.keys().size(), file.path());
            } catch (IllegalStateException e) {
                // A half-edited file must not lock everybody out, nor let anybody in: keep the last good keys.
                LOG.warn("Keeping the previous API keys: {}", e.getMessage());
            }
        }
        return snapshot.keys();
    }

    private FileTime modified() {
        try {
            return Files.exists(file.path()) ? Files.getLastModifiedTime(file.path()) : FileTime.fromMillis(0);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
