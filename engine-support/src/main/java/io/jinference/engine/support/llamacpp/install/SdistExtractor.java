package io.jinference.engine.support.llamacpp.install;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts the {@code llama.cpp/} folder of the sdist (the upstream tree, MIT) and nothing else: the package's own
 * Python wrapper beside it is AGPL and is never unpacked. Entries that would land outside the target are refused.
 */
final class SdistExtractor {
    private static final String FOLDER = "llama.cpp/";

    private SdistExtractor() {
    }

    /**
     * Extracts into {@code target.tmp}, then renames it to {@code target}, so a half-extracted tree is never taken
     * for a complete one.
     *
     * @return the number of files extracted
     */
    static int extract(Path sdist, Path target, Consumer<String> progress) throws IOException {
        Path staging = target.resolveSibling(target.getFileName() + ".tmp");
        deleteTree(staging);
        Files.createDirectories(staging);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        int files = 0;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(
                new BufferedInputStream(Files.newInputStream(sdist), 1 << 16)))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String relative = insideFolder(entry.getName());
                if (relative == null || relative.isEmpty()) {
                    continue;
                }
                Path destination = staging.resolve(relative).normalize();
                if (!destination.startsWith(staging)) {
                    throw new IOException("The sdist entry " + entry.getName() + " points outside the source folder");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination);
                    if (posix && (entry.getMode() & 0100) != 0) {
                        Set<PosixFilePermission> permissions = EnumSet.copyOf(Files.getPosixFilePermissions(destination));
                        permissions.add(PosixFilePermission.OWNER_EXECUTE);
                        Files.setPosixFilePermissions(destination, permissions);
                    }
                    files++;
                    if (files % 1000 == 0) {
                        progress.accept("Extracted " + files + " files");
                    }
                } else {
                    throw new IOException("The sdist entry " + entry.getName() + " is neither a file nor a folder");
                }
            }
        }
        if (files == 0) {
            deleteTree(staging);
            throw new IOException(sdist + " has no " + FOLDER + " folder");
        }
        deleteTree(target);
        Files.move(staging, target);
        return files;
    }

    /** The path below {@code <top>/llama.cpp/}, or null for an entry outside it. */
    static String insideFolder(String entryName) {
        int slash = entryName.indexOf('/');
        if (slash < 0) {
            return null;
        }
        String rest = entryName.substring(slash + 1);
        return rest.startsWith(FOLDER) ? rest.substring(FOLDER.length()) : null;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
