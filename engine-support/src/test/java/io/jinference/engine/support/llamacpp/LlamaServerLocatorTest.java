package io.jinference.engine.support.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where llama-server comes from: a configured binary described by its runtime.json, or an installed runtime. */
final class LlamaServerLocatorTest {
    @TempDir
    Path dir;

    private Path executable(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private static void manifest(Path bin, int build, String backend) throws Exception {
        new RuntimeManifest(build, backend, List.of("llama", "qwen3"), List.of("-DLLAMA_CURL=OFF"), "test")
                .write(bin.resolve(RuntimeManifest.FILE_NAME));
    }

    @Test
    void aConfiguredBinaryIsDescribedByTheRuntimeJsonBesideIt() throws Exception {
        Path binary = executable(dir.resolve("bin/llama-server"));
        manifest(binary.getParent(), 11434, "cuda");

        LlamaServerLocator.Lookup lookup = LlamaServerLocator.configured(binary, "configured by $JINFERENCE_LLAMA_SERVER");

        LlamaServerRuntime runtime = lookup.found().orElseThrow();
        assertThat(runtime.build()).isEqualTo(11434);
        assertThat(runtime.devices()).containsExactly("cpu", "cuda");
        assertThat(runtime.describe()).isEqualTo("llama-server b11434 (cuda, 2 GGUF architectures) at " + binary
                + ", configured by $JINFERENCE_LLAMA_SERVER (described by its runtime.json)");
        assertThat(runtime.supports("Qwen3")).isTrue();
        assertThat(runtime.supports("mamba")).isFalse();
    }

    @Test
    void aConfiguredPathThatIsNoExecutableIsAProblemNotAnError() {
        LlamaServerLocator.Lookup lookup = LlamaServerLocator.configured(dir.resolve("absent"), "configured by -Dx");

        assertThat(lookup.found()).isEmpty();
        assertThat(lookup.problem()).isEqualTo(dir.resolve("absent") + " (configured by -Dx) is not an executable file");
    }

    @Test
    void theNewestInstalledBuildWinsAndAGpuBuildBeforeTheCpuBuildOfTheSameNumber() throws Exception {
        for (String folder : List.of("b100/build-cpu", "b200/build-cpu", "b200/build-vulkan")) {
            Path bin = executable(dir.resolve(folder).resolve("bin/llama-server")).getParent();
            manifest(bin, Integer.parseInt(folder.substring(1, 4)), folder.substring(folder.indexOf('-') + 1));
        }
        executable(dir.resolve("b300/build-cpu/bin/llama-server")); // still building: no runtime.json yet

        LlamaServerRuntime runtime = LlamaServerLocator.installed(dir).orElseThrow();

        assertThat(runtime.binary()).isEqualTo(dir.resolve("b200/build-vulkan/bin/llama-server"));
        assertThat(runtime.devices()).containsExactly("cpu", "cuda", "rocm");
        assertThat(LlamaServerLocator.installed(dir.resolve("absent"))).isEmpty();
    }

    @Test
    void withNothingFoundTheProblemNamesTheFixingCommand() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv(LlamaServerLocator.VARIABLE) == null,
                "$JINFERENCE_LLAMA_SERVER names a binary here, so something is found");
        String previous = System.getProperty("jinference.home");
        System.setProperty("jinference.home", dir.toString());
        try {
            LlamaServerLocator.Lookup lookup = LlamaServerLocator.locate();

            assertThat(lookup.found()).isEmpty();
            assertThat(lookup.problem()).contains("run `jinf runtimes install llama.cpp`")
                    .contains(dir.resolve("runtimes/llama.cpp").toString());
        } finally {
            if (previous == null) {
                System.clearProperty("jinference.home");
            } else {
                System.setProperty("jinference.home", previous);
            }
        }
    }
}
