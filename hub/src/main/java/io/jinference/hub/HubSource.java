package io.jinference.hub;

import java.util.function.BooleanSupplier;

/** One hub (Hugging Face or a mirror, ModelScope) and its cache. */
public interface HubSource {

    /** What a spec resolved to before any byte is fetched: the commit and the files. */
    interface PreparedDownload {
        HubRequest request();

        String commit();
    }

    /**
     * Resolves the revision and picks the files, quickly; refuses what cannot be had.
     *
     * @throws HubException with the reason
     */
    PreparedDownload prepare(HubRequest request);

    /** Fetches what the cache lacks, verified, and returns the local files. */
    DownloadedModel fetch(PreparedDownload prepared, DownloadProgress progress, BooleanSupplier cancelled);
}
