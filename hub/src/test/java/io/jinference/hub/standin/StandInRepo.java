package io.jinference.hub.standin;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One repository the stand-in serves: real files from disk, stored "in LFS" (by sha256) when they are weights as on the
 * real hub, else "in git" (by git blob id), at one commit derived from their contents.
 */
public final class StandInRepo {
    private static final Set<String> LFS_SUFFIXES = Set.of(".gguf", ".safetensors", ".bin", ".pt", ".model");

    /** One served file. */
    public record Entry(String path, Path source, long size, String sha256, String gitBlobId, boolean lfs) {
    }

    private final String repoId;
    private final Map<String, Entry> files = new LinkedHashMap<>();
    private final String commit;

    public StandInRepo(String repoId, Map<String, Path> sources) throws IOException {
        this.repoId = repoId;
        MessageDigest commitDigest = sha1();
        commitDigest.update(repoId.getBytes(StandardCharsets.UTF_8));
        for (Map.Entry<String, Path> source : sources.entrySet()) {
            String path = source.getKey();
            Path file = source.getValue();
            long size = Files.size(file);
            boolean lfs = LFS_SUFFIXES.stream().anyMatch(path::endsWith);
            String sha256 = hash(file, "SHA-256", null);
            String blobId = hash(file, "SHA-1", ("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
            files.put(path, new Entry(path, file, size, sha256, blobId, lfs));
            commitDigest.update(path.getBytes(StandardCharsets.UTF_8));
            commitDigest.update(sha256.getBytes(StandardCharsets.US_ASCII));
        }
        this.commit = HexFormat.of().formatHex(commitDigest.digest());
    }

    /** Every regular file under a folder, by its relative path. */
    public static StandInRepo ofFolder(String repoId, Path folder) throws IOException {
        Map<String, Path> sources = new LinkedHashMap<>();
        try (var walk = Files.walk(folder)) {
            walk.filter(Files::isRegularFile).sorted().forEach(file ->
                    sources.put(folder.relativize(file).toString().replace('\\', '/'), file));
        }
        return new StandInRepo(repoId, sources);
    }

    public String repoId() {
        return repoId;
    }

    public String commit() {
        return commit;
    }

    public Map<String, Entry> files() {
        return files;
    }

    private static String hash(Path file, String algorithm, byte[] prefix) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (prefix != null) {
            digest.update(prefix);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            for (int n; (n = in.read(buffer)) >= 0;) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
