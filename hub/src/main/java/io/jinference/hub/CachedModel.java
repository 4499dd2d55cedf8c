package io.jinference.hub;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spec (or, for a repository no catalog spec names, a whole repository) whose files are in the Hugging Face cache.
 *
 * @param modelName the family, or the repository id when no spec names it
 * @param format null with no spec
 * @param modelVersion Xinference's key {@code {name}--{size}B--{format}--{quantization}}, or the repository id
 * @param path the file the engine loads or the snapshot folder
 * @param bytes the size of the blobs behind {@code files}
 */
public record CachedModel(String modelName, String format, String size, String quantization, String modelVersion,
        String repoId, String commit, Path path, List<String> files, long bytes) {

    public CachedModel {
        files = List.copyOf(files);
    }

    /** The entry of Xinference's {@code list_cached_models}, with Jinference's additions. */
    public Map<String, Object> describe() {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("model_name", modelName);
        entry.put("model_format", format);
        entry.put("model_size_in_billions", size);
        entry.put("quantization", quantization);
        entry.put("model_version", modelVersion);
        entry.put("model_hub", HubSettings.HUGGINGFACE);
        entry.put("model_id", repoId);
        entry.put("model_revision", commit);
        entry.put("path", path.toString());
        entry.put("real_path", path.toAbsolutePath().normalize().toString());
        entry.put("actual_size", bytes);
        entry.put("files", files);
        return entry;
    }
}
