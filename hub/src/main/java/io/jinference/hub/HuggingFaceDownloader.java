package io.jinference.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a spec's files from Hugging Face (or a mirror at {@code HF_ENDPOINT}) into the Hugging Face cache, or finds
 * them there: offline ({@code HF_HUB_OFFLINE}) from the cache only, and when the hub cannot be reached from the
 * snapshot the revision last resolved to, as huggingface_hub does.
 */
final class HuggingFaceDownloader implements HubSource {
    private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceDownloader.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One thread of this JVM per blob at a time; the lock file keeps other Jinference processes out. */
    private static final ConcurrentHashMap<Path, ReentrantLock> BLOB_LOCKS = new ConcurrentHashMap<>();

    private final HubSettings settings;
    private final HfCache cache;
    private final HuggingFaceApi api;
    private final BlobDownloader blobs;

    HuggingFaceDownloader(HubSettings settings, HubHttp http, BlobDownloader blobs) {
        this.settings = settings;
        this.cache = new HfCache(settings.hfCache());
        this.api = new HuggingFaceApi(settings.hfEndpoint(), settings.hfToken(), http);
        this.blobs = blobs;
    }

    HfCache cache() {
        return cache;
    }

    @Override
    public Prepared prepare(HubRequest request) {
        if (settings.offline()) {
            return fromCache(request, "HF_HUB_OFFLINE is set, so nothing is downloaded");
        }
        RepoRevision repo;
        try {
            repo = api.revision(request.repoId(), request.revision());
        } catch (IOException e) {
            LOG.warn("Hugging Face at {} cannot be reached ({}); looking in the cache", api.endpoint(), e.toString());
            return fromCache(request, "the hub at " + api.endpoint() + " cannot be reached ("
                    + HubHttp.describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("Interrupted while asking " + api.endpoint() + " about " + request.repoId());
        }
        FileSelection.Selection selection = FileSelection.select(repo, request.format(), request.fileNameTemplate(),
                request.quantization());
        return new Prepared(request, repo, selection, false);
    }

    /** A snapshot already in the cache, complete for this spec, or a clear reason why there is none. */
    private Prepared fromCache(HubRequest request, String why) {
        String commit = cache.commitOf(request.repoId(), request.revision()).orElseThrow(() -> new HubException(
                "Cannot get " + request.describe() + ": " + why + ", and the Hugging Face cache "
                        + cache.root() + " has no snapshot of it (no " + HfCache.folderName(request.repoId())
                        + "/refs/" + request.revision() + "); pass model_path with a local copy"));
        RepoRevision repo = new RepoRevision(request.repoId(), commit, snapshotFiles(request.repoId(), commit));
        FileSelection.Selection selection = FileSelection.select(repo, request.format(), request.fileNameTemplate(),
                request.quantization());
        if (selection.index() != null) {
            selection = FileSelection.withIndex(selection, repo,
                    shardNames(cache.snapshotFile(request.repoId(), commit, selection.index())));
        }
        List<String> missing = selection.files().stream().map(RepoFile::path)
                .filter(path -> !cache.hasFile(request.repoId(), commit, path)).toList();
        if (!missing.isEmpty()) {
            throw new HubException("Cannot get " + request.describe() + ": " + why + ", and the cached snapshot "
                    + commit + " lacks " + missing);
        }
        return new Prepared(request, repo, selection, true);
    }

    private List<RepoFile> snapshotFiles(String repoId, String commit) {
        Path snapshot = cache.snapshotDir(repoId, commit);
        try (Stream<Path> walk = Files.walk(snapshot)) {
            return walk.filter(Files::isRegularFile)
                    .map(file -> new RepoFile(snapshot.relativize(file).toString().replace('\\', '/'), -1, null, null))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public DownloadedModel fetch(HubSource.PreparedDownload download, DownloadProgress progress,
            BooleanSupplier cancelled) {
        Prepared prepared = (Prepared) download;
        HubRequest request = prepared.request();
        RepoRevision repo = prepared.repo();
        String repoId = request.repoId();
        String commit = repo.commit();
        FileSelection.Selection selection = prepared.selection();
        if (prepared.fromCacheOnly()) {
            progress.planned(0, selection.files().size(), commit);
            progress.finished();
            return result(prepared, selection);
        }
        try {
            if (selection.index() != null) {
                RepoFile index = repo.file(selection.index()).orElseThrow();
                ensure(repoId, commit, index, new DownloadProgress(repoId), cancelled);
                selection = FileSelection.withIndex(selection, repo,
                        shardNames(cache.snapshotFile(repoId, commit, index.path())));
            }
            List<RepoFile> files = selection.files();
            progress.planned(files.stream().mapToLong(file -> Math.max(0, file.size())).sum(), files.size(), commit);
            checkDiskSpace(repoId, files);
            for (RepoFile file : files) {
                ensure(repoId, commit, file, progress, cancelled);
            }
            cache.writeRef(repoId, request.revision(), commit);
            progress.finished();
            return result(prepared, selection);
        } catch (DownloadCancelledException e) {
            progress.failed("cancelled", true);
            throw new DownloadCancelledException("Download of " + request.describe() + " cancelled; "
                    + progress.doneBytes() + " bytes are kept in " + cache.repoDir(repoId) + " for a resume");
        } catch (HubException e) {
            progress.failed(e.getMessage(), false);
            throw e;
        } catch (IOException e) {
            progress.failed(e.getMessage(), false);
            throw new HubException("Download of " + request.describe() + " from " + api.endpoint() + " failed: "
                    + e.getMessage() + "; what arrived is kept for a resume");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            progress.failed("interrupted", true);
            throw new DownloadCancelledException("Download of " + request.describe() + " interrupted");
        }
    }

    private DownloadedModel result(Prepared prepared, FileSelection.Selection selection) {
        String repoId = prepared.request().repoId();
        String commit = prepared.repo().commit();
        Path path = selection.primary() != null ? cache.snapshotFile(repoId, commit, selection.primary())
                : cache.snapshotDir(repoId, commit);
        return new DownloadedModel(HubSettings.HUGGINGFACE, repoId, commit, path,
                selection.files().stream().map(RepoFile::path).toList(), prepared.fromCacheOnly());
    }

    /** Makes one file present in the snapshot: linked to its blob, downloading the blob if it is not there. */
    private void ensure(String repoId, String commit, RepoFile file, DownloadProgress progress,
            BooleanSupplier cancelled) throws IOException, InterruptedException {
        String etag = file.etag();
        if (etag == null) {
            throw new HubException("The hub lists no checksum for " + file.path() + " of " + repoId
                    + "; it cannot be verified");
        }
        Path blob = cache.blob(repoId, etag);
        if (!Files.isRegularFile(blob)) {
            progress.fileStarted(file.path());
            withBlobLock(repoId, etag, () -> {
                if (!Files.isRegularFile(blob)) {
                    BlobDownloader.Outcome outcome = blobs.download(api.resolveUri(repoId, commit, file.path()),
                            api.token(), file, blob, cache.incomplete(repoId, etag), progress, cancelled);
                    LOG.info("Fetched {} of {}@{}: {} bytes{}", file.path(), repoId, commit, outcome.fetchedBytes(),
                            outcome.resumedFrom() > 0 ? " (resumed at byte " + outcome.resumedFrom() + ")" : "");
                } else {
                    progress.alreadyHad(Math.max(0, file.size()));
                }
                return null;
            });
        } else {
            progress.alreadyHad(Math.max(0, file.size()));
        }
        cache.link(repoId, commit, file.path(), etag);
    }

    private interface BlobWork {
        Object run() throws IOException, InterruptedException;
    }

    private void withBlobLock(String repoId, String etag, BlobWork work) throws IOException, InterruptedException {
        Path lockFile = cache.lockFile(repoId, etag);
        Files.createDirectories(lockFile.getParent());
        ReentrantLock local = BLOB_LOCKS.computeIfAbsent(lockFile, key -> new ReentrantLock());
        local.lockInterruptibly();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {
            work.run();
        } finally {
            local.unlock();
        }
    }

    private void checkDiskSpace(String repoId, List<RepoFile> files) throws IOException {
        long needed = 0;
        for (RepoFile file : files) {
            if (file.etag() != null && !Files.isRegularFile(cache.blob(repoId, file.etag())) && file.size() > 0) {
                needed += file.size() - cache.incompleteBytes(repoId, file.etag());
            }
        }
        Path existing = cache.root();
        Files.createDirectories(existing);
        long usable = Files.getFileStore(existing).getUsableSpace();
        if (needed > usable) {
            throw new HubException("Not enough disk space for " + repoId + " in " + cache.root() + ": "
                    + needed + " bytes to download, " + usable + " bytes free");
        }
    }

    private static Set<String> shardNames(Path index) {
        try {
            JsonNode weightMap = JSON.readTree(index.toFile()).path("weight_map");
            Set<String> shards = new HashSet<>();
            weightMap.fields().forEachRemaining(entry -> shards.add(entry.getValue().asText()));
            if (shards.isEmpty()) {
                throw new HubException("Shard index " + index.getFileName() + " has an empty weight_map");
            }
            return shards;
        } catch (IOException e) {
            throw new HubException("Shard index " + index + " cannot be read: " + e.getMessage());
        }
    }

    /** What {@link #prepare} found. */
    record Prepared(HubRequest request, RepoRevision repo, FileSelection.Selection selection, boolean fromCacheOnly)
            implements HubSource.PreparedDownload {
        @Override
        public String commit() {
            return repo.commit();
        }
    }
}
