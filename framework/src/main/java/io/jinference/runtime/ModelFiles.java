package io.jinference.runtime;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the local file (or folder) of a model spec: the launch's {@code model_path}, else the spec's
 * {@code model_uri} (custom registrations), else the cache under {@code $home/cache/v2} in Xinference's layout.
 * It downloads nothing; the hub module's {@link ModelFileSource} does, and asks this class first.
 */
public final class ModelFiles implements ModelFileSource {
    private final Path home;

    public ModelFiles(Path home) {
        this.home = home;
    }

    @Override
    public PreparedFiles prepare(ModelFamily family, ModelSpec spec, String quantization, String modelPath,
            String downloadHub) {
        return PreparedFiles.local(resolve(home, family, spec, quantization, modelPath));
    }

    static Path resolve(Path home, ModelFamily family, ModelSpec spec, String quantization, String modelPath) {
        Path local = findLocal(home, family, spec, quantization, modelPath);
        if (local != null) {
            return local;
        }
        Path cacheDir = home.resolve("cache").resolve("v2").resolve(cacheDirName(family, spec, quantization));
        throw new LaunchException("Model " + family.name() + " (" + spec.format() + ", " + spec.sizeInBillions()
                + "B, " + quantization + ") is not in the cache (" + cacheDir + ") and this server cannot download "
                + "from a model hub; pass model_path with a local file, or register the model with a model_uri");
    }

    /**
     * The launch's {@code model_path}, the spec's {@code model_uri} or the Xinference-layout cache folder under
     * {@code $home/cache/v2}; null when the spec names none of them and the cache has no folder for it.
     *
     * @throws LaunchException when a named path does not exist
     */
    public static Path findLocal(Path home, ModelFamily family, ModelSpec spec, String quantization,
            String modelPath) {
        if (modelPath != null && !modelPath.isBlank()) {
            return existing(Path.of(modelPath).toAbsolutePath(), "model_path");
        }
        if (spec.modelUri() != null && !spec.modelUri().isBlank()) {
            return existing(fromUri(spec.modelUri()), "model_uri of " + family.name());
        }
        Path cacheDir = home.resolve("cache").resolve("v2").resolve(cacheDirName(family, spec, quantization));
        if (Files.isDirectory(cacheDir)) {
            return fileInCache(cacheDir, spec, quantization);
        }
        return null;
    }

    /** Xinference's cache folder name: {@code {name with . as _}-{format}-{size}b-{quantization}}. */
    static String cacheDirName(ModelFamily family, ModelSpec spec, String quantization) {
        return family.name().replace('.', '_') + "-" + spec.format() + "-" + spec.sizeInBillions() + "b-"
                + quantization;
    }

    private static Path fileInCache(Path cacheDir, ModelSpec spec, String quantization) {
        ModelSource source = spec.sources().values().stream()
                .filter(candidate -> candidate.fileNameTemplate() != null)
                .findFirst().orElse(null);
        if (source == null) {
            return cacheDir;
        }
        String fileName = source.fileNameTemplate().replace("{quantization}", quantization);
        return existing(cacheDir.resolve(fileName), "cached file");
    }

    private static Path fromUri(String uri) {
        if (uri.startsWith("file:")) {
            return Path.of(URI.create(uri));
        }
        if (uri.startsWith("/")) {
            return Path.of(uri);
        }
        throw new LaunchException("model_uri must be an absolute file: URI or path, got " + uri);
    }

    private static Path existing(Path path, String what) {
        if (!Files.exists(path)) {
            throw new LaunchException("Model file not found (" + what + "): " + path);
        }
        return path;
    }
}
