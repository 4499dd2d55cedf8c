package io.jinference.hotplug;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The folder where installed jars are kept. It names every file itself ({@code <sequence>-<sha256 prefix>.jar}), so
 * nothing a jar's manifest or a request says can reach a path outside it. Jars installed through REST are kept in
 * {@code persistent/} and installed again at every start, in the order they were first installed; jars handed over
 * by the watched folder live in {@code transient/}, since the folder itself installs them again. A jar appears under
 * its final name only by an atomic rename, so a crash leaves either the whole jar or none.
 */
final class BundleStore {
    /** Whether an installed jar comes back after a restart. */
    enum Keep {
        ACROSS_RESTARTS("persistent"),
        THIS_RUN("transient");

        private final String folder;

        Keep(String folder) {
            this.folder = folder;
        }
    }

    private static final String STAGED_PREFIX = "upload-";
    private final Path root;
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis());

    BundleStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        try {
            for (Keep keep : Keep.values()) {
                Files.createDirectories(folder(keep));
            }
            // Left by a crash: uploads never finished, and jars of the folder (which installs them again).
            deleteMatching(root, STAGED_PREFIX + "*");
            deleteMatching(folder(Keep.THIS_RUN), "*");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the bundle store " + root, e);
        }
    }

    private Path folder(Keep keep) {
        return root.resolve(keep.folder);
    }

    /** Copies an upload into the store's staging area; the caller reads it, then {@link #keep}s or deletes it. */
    Path stage(InputStream content) {
        try {
            Path staged = Files.createTempFile(root, STAGED_PREFIX, ".jar");
            try (content) {
                Files.copy(content, staged, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException | RuntimeException e) {
                // A refused or broken upload (too large, connection dropped) leaves nothing behind.
                Files.deleteIfExists(staged);
                throw e;
            }
            return staged;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the uploaded jar in " + root, e);
        }
    }

    /** Moves a staged jar to its final, store-chosen name. */
    Path keep(Path staged, Keep keep) throws IOException {
        String name = String.format("%016d-%s.jar", sequence.incrementAndGet(), sha256(staged).substring(0, 16));
        Path kept = folder(keep).resolve(name);
        move(staged, kept);
        return kept;
    }

    /** Replaces a kept jar's content atomically (an update), copying {@code replacement} over it. */
    void replace(Path kept, Path replacement) throws IOException {
        Path temp = Files.createTempFile(root, STAGED_PREFIX, ".jar");
        Files.copy(replacement, temp, StandardCopyOption.REPLACE_EXISTING);
        move(temp, kept);
    }

    /** A new store file for a copy of a jar from elsewhere (a bundle that was not installed through the store). */
    Path copyOf(InputStream content, Keep keep) throws IOException {
        return keep(stage(content), keep);
    }

    /** True for files this store made (and may therefore delete). */
    boolean owns(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        return normalized.startsWith(root) && !normalized.equals(root);
    }

    /** True for a jar installed through REST, which is kept and installed again at every start. */
    boolean keptAcrossRestarts(Path file) {
        return file.toAbsolutePath().normalize().getParent().equals(folder(Keep.ACROSS_RESTARTS));
    }

    /** The jars to install again at start, oldest first. */
    List<Path> persistent() {
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder(Keep.ACROSS_RESTARTS), "*.jar")) {
            stream.forEach(jars::add);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + folder(Keep.ACROSS_RESTARTS), e);
        }
        jars.sort(null);
        return jars;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JDK has SHA-256", e);
        }
    }

    private static void deleteMatching(Path folder, String glob) throws IOException {
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(folder, glob)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }
}
