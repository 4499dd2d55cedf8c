package io.jinference.hub;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The download progress of each launch, by model UID, for {@code GET /v1/models/{uid}/progress}. */
public final class LaunchDownloads {
    private final Map<String, DownloadProgress> byUid = new ConcurrentHashMap<>();

    DownloadProgress start(String uid, String repoId) {
        DownloadProgress progress = new DownloadProgress(repoId);
        byUid.put(uid, progress);
        return progress;
    }

    public Optional<DownloadProgress> of(String uid) {
        return Optional.ofNullable(byUid.get(uid));
    }

    /** Every launch's download by model UID, as it stands now. */
    public Map<String, DownloadProgress> all() {
        return Map.copyOf(byUid);
    }
}
