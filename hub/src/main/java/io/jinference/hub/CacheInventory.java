package io.jinference.hub;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What the Hugging Face cache holds, named by the catalog's specs where one names the repository ({@code jinf cache
 * list}, {@code GET /v1/cache/models}), and removing it ({@code jinf cache rm}, {@code DELETE /v1/cache/models}):
 * a spec's snapshot links go, then every blob no remaining link points at, then an emptied repository folder.
 * Files any tool put there count, whoever downloaded them.
 */
public final class CacheInventory {
    private final HfCache cache;

    public CacheInventory(HfCache cache) {
        this.cache = cache;
    }

    public List<CachedModel> list(List<ModelFamily> families) {
        List<CachedModel> result = new ArrayList<>();
        for (String repoId : repositories()) {
            boolean named = false;
            for (ModelFamily family : families) {
                for (ModelSpec spec : family.specs()) {
                    for (String quantization : spec.quantizations()) {
                        Optional<CachedModel> cached = cachedSpec(family, spec, quantization, repoId);
                        if (cached.isPresent()) {
                            result.add(cached.get());
                            named = true;
                        }
                    }
                }
            }
            if (!named) {
                wholeRepository(repoId).ifPresent(result::add);
            }
        }
        return result;
    }

    /** Repository ids of the cache's model folders. */
    public List<String> repositories() {
        List<String> repos = new ArrayList<>();
        if (!Files.isDirectory(cache.root())) {
            return repos;
        }
        try (DirectoryStream<Path> folders = Files.newDirectoryStream(cache.root(), "models--*")) {
            for (Path folder : folders) {
                String name = folder.getFileName().toString().substring("models--".length());
                int separator = name.indexOf("--");
                repos.add(separator < 0 ? name : name.substring(0, separator) + "/" + name.substring(separator + 2));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        repos.sort(Comparator.naturalOrder());
        return repos;
    }

    private Optional<CachedModel> cachedSpec(ModelFamily family, ModelSpec spec, String quantization, String repoId) {
        ModelSource source = spec.sources().get(HubSettings.HUGGINGFACE);
        if (source == null || source.modelId() == null
                || !source.modelId().replace("{quantization}", quantization).equals(repoId)) {
            return Optional.empty();
        }
        HubRequest request = HubRequest.of(spec, quantization, HubSettings.HUGGINGFACE);
        return latestCommit(repoId, request.revision()).flatMap(commit -> {
            RepoRevision snapshot = new RepoRevision(repoId, commit, snapshotFiles(repoId, commit));
            FileSelection.Selection selection;
            try {
                selection = FileSelection.select(snapshot, spec.format(), source.fileNameTemplate(), quantization);
            } catch (HubException notThere) {
                return Optional.empty();
            }
            if (selection.index() != null && cache.hasFile(repoId, commit, selection.index())) {
                selection = new FileSelection.Selection(snapshot.files(), null, null);
            }
            List<String> files = selection.files().stream().map(RepoFile::path)
                    .filter(path -> cache.hasFile(repoId, commit, path)).toList();
            if (files.size() != selection.files().size()) {
                return Optional.empty();
            }
            Path path = selection.primary() != null ? cache.snapshotFile(repoId, commit, selection.primary())
                    : cache.snapshotDir(repoId, commit);
            String version = family.name() + "--" + spec.sizeInBillions() + "B--" + spec.format() + "--" + quantization;
            return Optional.of(new CachedModel(family.name(), spec.format(), spec.sizeInBillions(), quantization,
                    version, repoId, commit, path, files, blobBytes(repoId, commit, files)));
        });
    }

    private Optional<CachedModel> wholeRepository(String repoId) {
        return latestCommit(repoId, "main").map(commit -> {
            List<String> files = snapshotFiles(repoId, commit).stream().map(RepoFile::path).toList();
            return new CachedModel(repoId, null, null, null, repoId, repoId, commit,
                    cache.snapshotDir(repoId, commit), files, blobBytes(repoId, commit, files));
        });
    }

    /** The commit {@code refs/{revision}} names, else the most recent snapshot. */
    private Optional<String> latestCommit(String repoId, String revision) {
        Optional<String> ref = cache.commitOf(repoId, revision);
        if (ref.isPresent() && Files.isDirectory(cache.snapshotDir(repoId, ref.get()))) {
            return ref;
        }
        Path snapshots = cache.repoDir(repoId).resolve("snapshots");
        if (!Files.isDirectory(snapshots)) {
            return Optional.empty();
        }
        try (Stream<Path> commits = Files.list(snapshots)) {
            return commits.filter(Files::isDirectory).max(Comparator.comparing(CacheInventory::modified))
                    .map(path -> path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<RepoFile> snapshotFiles(String repoId, String commit) {
        Path snapshot = cache.snapshotDir(repoId, commit);
        try (Stream<Path> walk = Files.walk(snapshot)) {
            return walk.filter(path -> !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .filter(Files::exists)
                    .map(path -> new RepoFile(snapshot.relativize(path).toString().replace('\\', '/'), -1, null, null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long blobBytes(String repoId, String commit, List<String> files) {
        Set<Path> blobs = new HashSet<>();
        for (String file : files) {
            try {
                blobs.add(cache.snapshotFile(repoId, commit, file).toRealPath());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blobs.stream().mapToLong(CacheInventory::size).sum();
    }

    /**
     * Removes a cached model by its {@code model_version} (a spec's files) or repository id (all of it).
     *
     * @return false when the cache holds nothing by that name
     */
    public boolean remove(String modelVersionOrRepo, List<ModelFamily> families) {
        List<CachedModel> entries = list(families).stream()
                .filter(entry -> entry.modelVersion().equals(modelVersionOrRepo)).toList();
        if (entries.isEmpty() && repositories().contains(modelVersionOrRepo)) {
            deleteTree(cache.repoDir(modelVersionOrRepo));
            return true;
        }
        for (CachedModel entry : entries) {
            for (String file : entry.files()) {
                deleteQuietly(cache.snapshotFile(entry.repoId(), entry.commit(), file));
            }
            collectGarbage(entry.repoId());
        }
        return !entries.isEmpty();
    }

    /** Deletes blobs no snapshot link points at, empty folders, and the repository once no snapshot is left. */
    private void collectGarbage(String repoId) {
        Path repo = cache.repoDir(repoId);
        Set<Path> referenced = new HashSet<>();
        Path snapshots = repo.resolve("snapshots");
        try (Stream<Path> walk = Files.exists(snapshots) ? Files.walk(snapshots) : Stream.empty()) {
            walk.filter(Files::isSymbolicLink).forEach(link -> {
                try {
                    referenced.add(link.getParent().resolve(Files.readSymbolicLink(link)).normalize());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (referenced.isEmpty()) {
            deleteTree(repo);
            deleteTree(cache.root().resolve(".locks").resolve(HfCache.folderName(repoId)));
            return;
        }
        try (Stream<Path> blobs = Files.exists(repo.resolve("blobs")) ? Files.list(repo.resolve("blobs"))
                : Stream.empty()) {
            blobs.filter(blob -> !blob.getFileName().toString().endsWith(".incomplete"))
                    .filter(blob -> !referenced.contains(blob.normalize())).forEach(CacheInventory::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> walk = Files.walk(snapshots)) {
            walk.sorted(Comparator.reverseOrder()).filter(Files::isDirectory).forEach(dir -> {
                try (Stream<Path> children = Files.list(dir)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(dir);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(CacheInventory::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path path) {
        try {
            return Files.size(path);
        } catch (IOException e) {
            return 0;
        }
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }
}
