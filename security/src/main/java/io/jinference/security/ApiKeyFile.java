package io.jinference.security;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key file: a JSON list of {@link ApiKey} (hashes only), written atomically and readable by its owner only.
 * {@code jinf keys create} appends to it; a running server rereads it when it changes.
 */
public final class ApiKeyFile {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path file;

    public ApiKeyFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    public Path path() {
        return file;
    }

    /** The stored keys; none when the file does not exist yet. */
    public List<ApiKey> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Map<String, Object>> entries = MAPPER.readValue(file.toFile(), new TypeReference<>() {
            });
            List<ApiKey> keys = new ArrayList<>();
            for (Map<String, Object> entry : entries) {
                keys.add(new ApiKey(String.valueOf(entry.get("id")), Role.parse(String.valueOf(entry.get("role"))),
                        String.valueOf(entry.get("sha256")), models(entry.get("models"))));
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("The API key file " + file + " is not a list of keys written by "
                    + "'jinf keys create': " + e.getMessage(), e);
        }
    }

    private static List<String> models(Object models) {
        if (models == null) {
            return List.of();
        }
        if (models instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        throw new IllegalArgumentException("models must be a list of model UIDs");
    }

    /** Makes a new key, stores its hash and returns the key itself: the only time it is ever shown. */
    public synchronized String create(Role role, List<String> models) {
        String key = KeyHashes.newKey();
        String hash = KeyHashes.sha256Hex(key);
        List<ApiKey> keys = new ArrayList<>(read());
        keys.add(new ApiKey(hash.substring(0, 12), role, hash, models));
        write(keys);
        return key;
    }

    /** Stores a key made elsewhere (another node of the cluster), by its hash; false when its id is here already. */
    public synchronized boolean add(ApiKey key) {
        List<ApiKey> keys = new ArrayList<>(read());
        if (keys.stream().anyMatch(known -> known.id().equals(key.id()))) {
            return false;
        }
        keys.add(key);
        write(keys);
        return true;
    }

    /** Removes the key with this id; false when there is none. */
    public synchronized boolean revoke(String id) {
        List<ApiKey> keys = new ArrayList<>(read());
        boolean removed = keys.removeIf(key -> key.id().equals(id));
        if (removed) {
            write(keys);
        }
        return removed;
    }

    private void write(List<ApiKey> keys) {
        List<Map<String, Object>> entries = keys.stream().map(key -> Map.<String, Object>of("id", key.id(),
                "role", key.role().wireName(), "sha256", key.sha256(), "models", key.models())).toList();
        try {
            Files.createDirectories(file.getParent());
            Path temp = Files.createTempFile(file.getParent(), ".api-keys-", ".tmp");
            ownerOnly(temp);
            MAPPER.writeValue(temp.toFile(), entries);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the API key file " + file, e);
        }
    }

    private static void ownerOnly(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): the user's profile folder already keeps others out.
        }
    }
}
