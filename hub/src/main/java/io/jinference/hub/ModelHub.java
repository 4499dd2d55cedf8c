package io.jinference.hub;

import java.util.function.BooleanSupplier;

/**
 * Jinference's way to the model hubs: resolves a {@link HubRequest} on Hugging Face (or the mirror in
 * {@code HF_ENDPOINT}) or ModelScope and fetches its files into that hub's cache.
 */
public final class ModelHub {
    /** Files are fetched in chunks of this size. */
    public static final int DEFAULT_CHUNK_BYTES = 8 * 1024 * 1024;
    /** Chunks fetched at once where one connection waits for the network (see BlobDownloader); else one at a time. */
    public static final int DEFAULT_PARALLEL_CHUNKS = 4;

    private final HubSettings settings;
    private final HuggingFaceDownloader huggingFace;
    private final ModelScopeDownloader modelScope;

    public ModelHub(HubSettings settings) {
        this(settings, DEFAULT_CHUNK_BYTES, DEFAULT_PARALLEL_CHUNKS);
    }

    public ModelHub(HubSettings settings, int chunkBytes, int parallelChunks) {
        this.settings = settings;
        HubHttp http = new HubHttp();
        BlobDownloader blobs = new BlobDownloader(http, chunkBytes, parallelChunks);
        this.huggingFace = new HuggingFaceDownloader(settings, http, blobs);
        this.modelScope = new ModelScopeDownloader(settings, http, blobs);
    }

    public HubSettings settings() {
        return settings;
    }

    public HfCache hfCache() {
        return huggingFace.cache();
    }

    /**
     * Resolves the revision and picks the files; quick, nothing is downloaded.
     *
     * @throws HubException when the model cannot be had, with the reason
     */
    public HubSource.PreparedDownload prepare(HubRequest request) {
        return source(request).prepare(request);
    }

    /** Fetches what the cache lacks; stops, keeping the parts, once {@code cancelled} turns true. */
    public DownloadedModel fetch(HubSource.PreparedDownload prepared, DownloadProgress progress,
            BooleanSupplier cancelled) {
        return source(prepared.request()).fetch(prepared, progress, cancelled);
    }

    /** Prepares and fetches. */
    public DownloadedModel download(HubRequest request, DownloadProgress progress) {
        return fetch(prepare(request), progress, () -> false);
    }

    private HubSource source(HubRequest request) {
        return request.hub().equals(HubSettings.MODELSCOPE) ? modelScope : huggingFace;
    }
}
