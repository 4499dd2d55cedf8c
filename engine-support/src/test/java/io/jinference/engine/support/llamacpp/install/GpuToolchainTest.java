package io.jinference.engine.support.llamacpp.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The GPU build flags. This machine has no GPU and no CUDA toolkit, so nvcc and nvidia-smi are answered by a
 * stand-in for a CUDA machine (named so): its answers are the ones the real tools print.
 */
final class GpuToolchainTest {
    /** Stands in for a machine with the CUDA toolkit and the given GPUs' {@code nvidia-smi} answer. */
    private static CommandOutput standInCudaMachine(String computeCapabilities, boolean nvccOnPath) {
        Map<String, String> answers = nvccOnPath
                ? Map.of("nvcc", "Cuda compilation tools, release 12.6", "nvidia-smi", computeCapabilities)
                : Map.of("/usr/local/cuda/bin/nvcc", "Cuda compilation tools, release 12.6",
                        "nvidia-smi", computeCapabilities);
        return command -> Optional.ofNullable(answers.get(command.get(0)));
    }

    @Test
    void anH100BuildsSm90Kernels() {
        GpuToolchain toolchain = new GpuToolchain(standInCudaMachine("9.0\n", true), "Linux");

        assertThat(toolchain.flags("cuda")).containsExactly("-DGGML_CUDA=ON", "-DCMAKE_CUDA_ARCHITECTURES=90");
        assertThat(CmakeBuild.flags(11434, "amd64", toolchain.flags("cuda"))).endsWith("-DGGML_CUDA=ON",
                "-DCMAKE_CUDA_ARCHITECTURES=90");
    }

    @Test
    void mixedGpusBuildForEachCapabilityOnceAndAToolkitOffThePathIsNamed() {
        GpuToolchain toolchain = new GpuToolchain(standInCudaMachine("8.6\n9.0\n8.6\n", false), "Linux");

        assertThat(toolchain.flags("cuda")).containsExactly("-DGGML_CUDA=ON", "-DCMAKE_CUDA_ARCHITECTURES=86;90",
                "-DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc");
    }

    @Test
    void missingToolsAreNamed() {
        GpuToolchain bare = new GpuToolchain(command -> Optional.empty(), "Linux");

        assertThat(bare.flags("cpu")).isEmpty();
        assertThatThrownBy(() -> bare.flags("cuda")).hasMessageContaining("needs the CUDA toolkit's nvcc");
        assertThatThrownBy(() -> bare.flags("vulkan")).hasMessageContaining("glslc");
        assertThatThrownBy(() -> bare.flags("metal")).hasMessageContaining("macOS only");
        assertThat(new GpuToolchain(command -> Optional.empty(), "Mac OS X").flags("metal"))
                .containsExactly("-DGGML_METAL=ON");
        GpuToolchain noGpu = new GpuToolchain(command -> command.get(0).equals("nvcc")
                ? Optional.of("release 12.6") : Optional.empty(), "Linux");
        assertThatThrownBy(() -> noGpu.flags("cuda")).hasMessageContaining("nvidia-smi");
    }
}
