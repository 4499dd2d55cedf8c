package io.jinference.engine.support.llamacpp.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cmake command lines, the reuse of a configured build folder, and Ninja's progress lines. */
final class CmakeBuildTest {
    @TempDir
    Path dir;

    @Test
    void theCpuCommandsAreTheOnesTheCiCacheWasBuiltWith() {
        List<String> flags = CmakeBuild.flags(11434, "aarch64", List.of());

        assertThat(String.join(" ", CmakeBuild.configureCommand(Path.of("source"), Path.of("build-cpu"), flags)))
                .isEqualTo("cmake -S source -B build-cpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DLLAMA_BUILD_TESTS=OFF"
                        + " -DLLAMA_BUILD_EXAMPLES=OFF -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_NUMBER=11434"
                        + " -DLLAMA_CURL=OFF");
        assertThat(CmakeBuild.buildCommand(Path.of("build-cpu"), 2))
                .containsExactly("cmake", "--build", "build-cpu", "--target", "llama-server", "-j", "2");
    }

    /** ggml's AMX kernels die with SIGILL in b11434 ({@link CmakeBuild#X86_WITHOUT_AMX}); x86-64 leaves them out. */
    @Test
    void anX86BuildLeavesOutTheAmxKernels() {
        for (String arch : List.of("amd64", "x86_64")) {
            assertThat(CmakeBuild.flags(11434, arch, List.of("-DGGML_CUDA=ON"))).containsSubsequence(
                    "-DLLAMA_CURL=OFF", "-DCMAKE_C_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16",
                    "-DCMAKE_CXX_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16", "-DGGML_CUDA=ON");
        }
        assertThat(String.join(" ", CmakeBuild.flags(11434, "aarch64", List.of()))).doesNotContain("amx");
    }

    @Test
    void aFolderConfiguredWithTheSameFlagsIsNotConfiguredAgain() throws Exception {
        Files.writeString(dir.resolve("build.ninja"), "# ninja\n");
        Files.writeString(dir.resolve("CMakeCache.txt"), """
                # This is the CMakeCache file.
                //Choose the type of build
                CMAKE_BUILD_TYPE:STRING=Release
                CMAKE_GENERATOR:INTERNAL=Ninja
                LLAMA_BUILD_TESTS:BOOL=OFF
                LLAMA_BUILD_EXAMPLES:BOOL=OFF
                LLAMA_USE_PREBUILT_UI:BOOL=OFF
                LLAMA_BUILD_NUMBER:UNINITIALIZED=11434
                LLAMA_CURL:BOOL=OFF
                GGML_CUDA:BOOL=OFF
                CMAKE_C_FLAGS:STRING=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16
                CMAKE_CXX_FLAGS:STRING=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16
                """);

        assertThat(CmakeBuild.configuredWith(dir, CmakeBuild.flags(11434, "amd64", List.of()))).isTrue();
        assertThat(CmakeBuild.configuredWith(dir, CmakeBuild.flags(11435, "amd64", List.of()))).isFalse();
        assertThat(CmakeBuild.configuredWith(dir, CmakeBuild.flags(11434, "amd64", List.of("-DGGML_CUDA=ON"))))
                .isFalse();
        assertThat(CmakeBuild.configuredWith(dir.resolve("absent"), CmakeBuild.flags(11434, "amd64", List.of())))
                .isFalse();
    }

    @Test
    void ninjaStepsBecomeProgressLines() {
        assertThat(CmakeBuild.step("[37/214] Building CXX object src/CMakeFiles/llama.dir/llama.cpp.o"))
                .contains("Building llama-server: 37/214 (17%) Building CXX object src/CMakeFiles/llama.dir/llama.cpp.o");
        assertThat(CmakeBuild.step("[214/214] Linking CXX executable bin/llama-server"))
                .contains("Building llama-server: 214/214 (100%) Linking CXX executable bin/llama-server");
        assertThat(CmakeBuild.step("ninja: no work to do.")).isEmpty();
    }
}
