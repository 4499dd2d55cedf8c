package io.jinference.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face cache layout, exactly as huggingface_hub writes it, so that huggingface_hub, transformers, vLLM and
 * Jinference reuse each other's files:
 * <pre>
 * $HF_HUB_CACHE/models--{org}--{name}/
 *   blobs/{etag}              the file's bytes, named by sha256 (LFS) or git blob id; {etag}.incomplete while in flight
 *   snapshots/{commit}/{path} relative symbolic links to ../../blobs/{etag}
 *   refs/{revision}           the commit the branch or tag pointed at when last resolved
 * $HF_HUB_CACHE/.locks/models--{org}--{name}/{etag}.lock
 * </pre>
 */
public final class HfCache {
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    private final Path root;

    public HfCache(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** {@code models--org--name}, huggingface_hub's folder name for a model repository. */
    public static String folderName(String repoId) {
        return "models--" + repoId.replace("/", "--");
    }

    public Path repoDir(String repoId) {
        return root.resolve(folderName(repoId));
    }

    public Path blob(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag);
    }

    /** Where huggingface_hub keeps a blob while it downloads, and resumes it from. */
    public Path incomplete(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(etag + ".incomplete");
    }

    public Path lockFile(String repoId, String etag) {
        return root.resolve(".locks").resolve(folderName(repoId)).resolve(etag + ".lock");
    }

    public Path snapshotDir(String repoId, String commit) {
        return repoDir(repoId).resolve("snapshots").resolve(commit);
    }

    public Path snapshotFile(String repoId, String commit, String path) {
        return snapshotDir(repoId, commit).resolve(path);
    }

    public static boolean isCommit(String revision) {
        return revision != null && COMMIT.matcher(revision).matches();
    }

    /** The commit a revision resolved to last time, from {@code refs/}; a commit hash stands for itself. */
    public Optional<String> commitOf(String repoId, String revision) {
        if (isCommit(revision)) {
            return Files.isDirectory(snapshotDir(repoId, revision)) ? Optional.of(revision) : Optional.empty();
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(revision);
        try {
            return Files.isRegularFile(ref) ? Optional.of(Files.readString(ref, StandardCharsets.UTF_8).trim())
                    : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the commit a branch or tag points at (not for a commit hash, as huggingface_hub does). */
    public void writeRef(String repoId, String revision, String commit) throws IOException {
        if (isCommit(revision)) {
            return;
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Path temporary = Files.createTempFile(ref.getParent(), ".ref", ".tmp");
        Files.writeString(temporary, commit, StandardCharsets.UTF_8);
        Files.move(temporary, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes {@code snapshots/{commit}/{path}} a relative link to the (complete, verified) blob, replacing what was
     * there; only then does the file appear in the snapshot.
     */
    public Path link(String repoId, String commit, String path, String etag) throws IOException {
        Path file = snapshotFile(repoId, commit, path);
        Path blob = blob(repoId, etag);
        Files.createDirectories(file.getParent());
        Path target = file.getParent().relativize(blob);
        if (Files.isSymbolicLink(file) && Files.readSymbolicLink(file).equals(target)) {
            return file;
        }
        Path temporary = file.resolveSibling("." + file.getFileName() + ".link");
        Files.deleteIfExists(temporary);
        Files.createSymbolicLink(temporary, target);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    /** Whether the snapshot has this file and its blob is there (a dangling link does not count). */
    public boolean hasFile(String repoId, String commit, String path) {
        Path file = snapshotFile(repoId, commit, path);
        return Files.exists(file) && Files.isRegularFile(file);
    }

    /** Bytes already fetched of a blob that is not complete yet. */
    public long incompleteBytes(String repoId, String etag) {
        Path partial = incomplete(repoId, etag);
        try {
            return Files.exists(partial, LinkOption.NOFOLLOW_LINKS) ? Files.size(partial) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
