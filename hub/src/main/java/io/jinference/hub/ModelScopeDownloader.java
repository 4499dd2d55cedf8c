package io.jinference.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads from ModelScope ({@code MODELSCOPE_DOMAIN}, default www.modelscope.cn) into ModelScope's own layout:
 * {@code $MODELSCOPE_CACHE/models/{org}/{name}/{path}}, with a dot in the name written {@code ___} as the modelscope
 * library does, and files in flight under the repository's {@code ._____temp/}. Files are listed by
 * {@code /api/v1/models/{repo}/repo/files} (with their sha256, which every file is checked against) and fetched from
 * {@code /api/v1/models/{repo}/repo?Revision=…&FilePath=…}.
 */
final class ModelScopeDownloader implements HubSource {
    private static final Logger LOG = LoggerFactory.getLogger(ModelScopeDownloader.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSettings settings;
    private final HubHttp http;
    private final BlobDownloader blobs;

    ModelScopeDownloader(HubSettings settings, HubHttp http, BlobDownloader blobs) {
        this.settings = settings;
        this.http = http;
        this.blobs = blobs;
    }

    /** The repository's folder in ModelScope's cache. */
    Path repoDir(String repoId) {
        String[] parts = repoId.split("/", 2);
        Path models = settings.modelScopeCache().resolve("models");
        return parts.length == 2 ? models.resolve(parts[0]).resolve(parts[1].replace(".", "___"))
                : models.resolve(repoId.replace(".", "___"));
    }

    @Override
    public Prepared prepare(HubRequest request) {
        if (settings.offline()) {
            return fromCache(request, "HF_HUB_OFFLINE is set, so nothing is downloaded");
        }
        URI uri = URI.create(settings.modelScopeEndpoint() + "/api/v1/models/" + request.repoId()
                + "/repo/files?Revision=" + HuggingFaceApi.encode(request.revision()) + "&Recursive=True");
        try {
            HubHttp.Document answer = http.getDocument(uri, settings.modelScopeToken());
            if (answer.status() == 404) {
                throw new HubException("ModelScope repository " + request.repoId() + " (revision "
                        + request.revision() + ") was not found at " + settings.modelScopeEndpoint() + " (HTTP 404)");
            }
            if (answer.status() != 200) {
                throw new IOException("ModelScope answered HTTP " + answer.status() + " for " + uri);
            }
            RepoRevision repo = parse(request, JSON.readTree(answer.body()));
            return new Prepared(request, repo, FileSelection.select(repo, request.format(),
                    request.fileNameTemplate(), request.quantization()), false);
        } catch (IOException e) {
            LOG.warn("ModelScope at {} cannot be reached ({}); looking in the cache", settings.modelScopeEndpoint(),
                    e.toString());
            return fromCache(request, "ModelScope at " + settings.modelScopeEndpoint() + " cannot be reached ("
                    + HubHttp.describe(e) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException("Interrupted while asking ModelScope about " + request.repoId());
        }
    }

    private static RepoRevision parse(HubRequest request, JsonNode root) throws IOException {
        if (root.path("Code").asInt(200) != 200) {
            throw new HubException("ModelScope refuses " + request.repoId() + ": " + root.path("Message").asText());
        }
        List<RepoFile> files = new ArrayList<>();
        String commit = null;
        for (JsonNode file : root.path("Data").path("Files")) {
            if (!"blob".equals(file.path("Type").asText("blob"))) {
                continue;
            }
            files.add(new RepoFile(file.path("Path").asText(), file.path("Size").asLong(-1),
                    file.path("Sha256").asText(null), null));
            commit = commit != null ? commit : file.path("Revision").asText(null);
        }
        return new RepoRevision(request.repoId(), commit != null ? commit : request.revision(), files);
    }

    private Prepared fromCache(HubRequest request, String why) {
        Path dir = repoDir(request.repoId());
        if (!Files.isDirectory(dir)) {
            throw new HubException("Cannot get " + request.describe() + ": " + why + ", and the ModelScope cache has "
                    + "no " + dir + "; pass model_path with a local copy");
        }
        List<RepoFile> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).map(dir::relativize).map(Path::toString)
                    .filter(path -> !path.startsWith(".")).map(path -> new RepoFile(path, -1, null, null)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RepoRevision repo = new RepoRevision(request.repoId(), request.revision(), files);
        FileSelection.Selection selection = FileSelection.select(repo, request.format(), request.fileNameTemplate(),
                request.quantization());
        if (selection.index() != null) {
            selection = FileSelection.withIndex(selection, repo, shardNames(dir.resolve(selection.index())));
        }
        return new Prepared(request, repo, selection, true);
    }

    @Override
    public DownloadedModel fetch(PreparedDownload download, DownloadProgress progress, BooleanSupplier cancelled) {
        Prepared prepared = (Prepared) download;
        HubRequest request = prepared.request();
        Path dir = repoDir(request.repoId());
        FileSelection.Selection selection = prepared.selection();
        try {
            if (!prepared.fromCacheOnly()) {
                if (selection.index() != null) {
                    ensure(request, prepared.repo().file(selection.index()).orElseThrow(),
                            new DownloadProgress(request.repoId()), cancelled);
                    selection = FileSelection.withIndex(selection, prepared.repo(),
                            shardNames(dir.resolve(selection.index())));
                }
                progress.planned(selection.files().stream().mapToLong(file -> Math.max(0, file.size())).sum(),
                        selection.files().size(), prepared.commit());
                for (RepoFile file : selection.files()) {
                    ensure(request, file, progress, cancelled);
                }
            } else {
                progress.planned(0, selection.files().size(), prepared.commit());
            }
            progress.finished();
        } catch (DownloadCancelledException e) {
            progress.failed("cancelled", true);
            throw new DownloadCancelledException("Download of " + request.describe() + " cancelled; the parts are "
                    + "kept in " + dir + " for a resume");
        } catch (HubException e) {
            progress.failed(e.getMessage(), false);
            throw e;
        } catch (IOException e) {
            progress.failed(e.getMessage(), false);
            throw new HubException("Download of " + request.describe() + " from ModelScope failed: "
                    + e.getMessage() + "; what arrived is kept for a resume");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadCancelledException("Download of " + request.describe() + " interrupted");
        }
        Path path = selection.primary() != null ? dir.resolve(selection.primary()) : dir;
        return new DownloadedModel(HubSettings.MODELSCOPE, request.repoId(), prepared.commit(), path,
                selection.files().stream().map(RepoFile::path).toList(), prepared.fromCacheOnly());
    }

    private void ensure(HubRequest request, RepoFile file, DownloadProgress progress, BooleanSupplier cancelled)
            throws IOException, InterruptedException {
        Path dir = repoDir(request.repoId());
        Path target = dir.resolve(file.path()).normalize();
        if (!target.startsWith(dir)) {
            throw new HubException("ModelScope lists a file outside its repository: " + file.path());
        }
        if (Files.isRegularFile(target) && (file.size() < 0 || Files.size(target) == file.size())) {
            progress.alreadyHad(Math.max(0, file.size()));
            return;
        }
        if (file.sha256() == null) {
            throw new HubException("ModelScope lists no sha256 for " + file.path() + "; it cannot be verified");
        }
        progress.fileStarted(file.path());
        URI uri = URI.create(settings.modelScopeEndpoint() + "/api/v1/models/" + request.repoId() + "/repo?Revision="
                + HuggingFaceApi.encode(request.revision()) + "&FilePath=" + HuggingFaceApi.encode(file.path()));
        Path incomplete = dir.resolve("._____temp").resolve(file.path() + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.createDirectories(target.getParent());
        blobs.download(uri, settings.modelScopeToken(), file, target, incomplete, progress, cancelled);
    }

    private static Set<String> shardNames(Path index) {
        try {
            Set<String> shards = new HashSet<>();
            JSON.readTree(index.toFile()).path("weight_map").fields()
                    .forEachRemaining(entry -> shards.add(entry.getValue().asText()));
            return shards;
        } catch (IOException e) {
            throw new HubException("Shard index " + index + " cannot be read: " + e.getMessage());
        }
    }

    /** What {@link #prepare} found. */
    record Prepared(HubRequest request, RepoRevision repo, FileSelection.Selection selection, boolean fromCacheOnly)
            implements PreparedDownload {
        @Override
        public String commit() {
            return repo.commit();
        }
    }
}
