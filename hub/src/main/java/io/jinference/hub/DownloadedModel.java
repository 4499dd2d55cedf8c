package io.jinference.hub;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec's files, all complete and verified in the cache.
 *
 * @param path the file the engine loads (a GGUF, the first part of a split one) or the snapshot folder
 * @param commit the commit the files are from (ModelScope: the revision)
 * @param files the repository paths fetched or found
 * @param fromCacheOnly true when nothing was asked of the hub (offline mode, or the hub unreachable)
 */
public record DownloadedModel(String hub, String repoId, String commit, Path path, List<String> files,
        boolean fromCacheOnly) {

    public DownloadedModel {
        files = List.copyOf(files);
    }

    /** What the model's description records. */
    public Map<String, Object> provenance() {
        Map<String, Object> origin = new LinkedHashMap<>();
        origin.put("model_hub", hub);
        origin.put("model_id", repoId);
        origin.put("model_revision", commit);
        return origin;
    }
}
