package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import io.jinference.catalog.ModelCatalog;
import io.jinference.host.HostProfiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Selection on a GPU host, with both llama.cpp backends as real bundles in a real Felix whose stand-in services answer
 * the runtime probe as the real ones do: the server backend adds {@code cuda} when its llama-server is a CUDA build,
 * java-llama.cpp drives the CPU only. The probed host stands in for the NVIDIA H200 machine (this one has no GPU).
 */
final class GpuBackendSelectionTest {
    private static final String INSTALL = ";gpu.install=\"jinf runtimes install llama.cpp --gpu {kind}\"";
    private static final long MIB = 1024L * 1024L;
    /** Stands in for the H200 host as its probe reads it: nvidia-smi's {@code 0, NVIDIA H200, 143771, 9.0}. */
    private static final HostProfile H200_HOST = new HostProfile("linux", "x86_64", 16, 125L * 1024 * MIB,
            List.of("avx2"), List.of(new GpuDevice(0, "cuda", "NVIDIA H200", 143771 * MIB, "9.0")), false, true);

    @TempDir
    Path dir;
    private EmbeddedFelix felix;
    private EngineRegistry registry;
    private Selector selector;
    private TestEngineBundles bundles;

    @BeforeEach
    void startFelix() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("felix"));
        bundles = new TestEngineBundles(dir);
        registry = new EngineRegistry(felix.context());
        registry.open();
        ModelCatalog catalog = RegistryFixture.catalogWithTestFamilies(dir.resolve("home"));
        selector = new Selector(registry, catalog, SelectionPolicy.defaults());
    }

    @AfterEach
    void stopFelix() throws Exception {
        registry.close();
        felix.close();
    }

    /** @param serverBackend cuda or cpu for a llama-server of that build, null for none installed */
    private void install(String serverBackend, int serverPriority) throws Exception {
        String server = BackendSelectionTest.SERVER.replace("priority:Long=60", "priority:Long=" + serverPriority)
                + INSTALL;
        Map<String, String> probe = serverBackend == null
                ? Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "missing",
                        "X-StandIn-Note", "No llama-server found: run `jinf runtimes install llama.cpp`")
                : serverBackend.equals("cuda")
                        ? Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                                "X-StandIn-Runtime", "llama-server b11434 (cuda, 148 GGUF architectures)",
                                "X-StandIn-Extra-Devices", "cuda",
                                "X-StandIn-Note", "llama-server was built for cuda, so llama.cpp also runs on cuda")
                        : Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                                "X-StandIn-Runtime", "llama-server b11434 (cpu, 148 GGUF architectures)");
        felix.install(bundles.withStandInService("test.llamacpp.server", "0.1.0", server, probe)).start();
        felix.install(bundles.withStandInService("test.llamacpp.jvm", "0.1.0", BackendSelectionTest.JVM + INSTALL,
                Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                        "X-StandIn-Runtime", "java-llama.cpp 4.2.0 (llama.cpp b4916, CPU)"))).start();
    }

    @Test
    void aCudaBuildOfLlamaServerIsChosenAndTheChoiceSaysItUsesTheGpu() throws Exception {
        install("cuda", 60);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), H200_HOST);

        assertThat(decision.choice().engine().backend()).isEqualTo("server");
        assertThat(decision.choice().engine().devices()).containsExactly("cpu", "cuda");
        assertThat(decision.choice().why()).endsWith("; it runs on the GPU: its runtime drives cuda and this host has"
                + " 1 CUDA device (NVIDIA H200)");
        assertThat(decision.candidates().get(1).devices()).as("java-llama.cpp drives the CPU only")
                .containsExactly("cpu");
    }

    @Test
    void aBackendThatDrivesTheGpuWinsOverAHigherPriorityOneThatDoesNot() throws Exception {
        install("cuda", 40);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), H200_HOST);

        assertThat(decision.choice().engine().backend()).isEqualTo("server");
        assertThat(decision.choice().why()).contains("it runs on the GPU");
    }

    @Test
    void onACpuOnlyHostPriorityAloneDecides() throws Exception {
        install("cuda", 40);
        HostProfile cpuHost = new HostProfile("linux", "x86_64", 16, 64L * 1024 * MIB, List.of("avx2"), List.of(),
                false, true);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), cpuHost);

        assertThat(decision.choice().engine().backend()).isEqualTo("jvm");
        assertThat(decision.choice().why()).doesNotContain("GPU");
    }

    @Test
    void withoutLlamaServerTheCpuOnlyChoiceSaysSoAndNamesTheGpuInstallCommand() throws Exception {
        install(null, 60);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), H200_HOST);

        assertThat(decision.choice().engine().backend()).isEqualTo("jvm");
        assertThat(decision.choice().why()).endsWith("; it runs on the CPU only, although this host has 1 CUDA device"
                + " (NVIDIA H200): its runtime drives cpu only; `jinf runtimes install llama.cpp --gpu cuda` installs a"
                + " runtime that uses the GPU");
        assertThat(decision.explanation()).contains("it runs on the CPU only");
    }

    @Test
    void aCpuBuildOfLlamaServerOnAGpuHostIsExplainedAsCpuOnly() throws Exception {
        install("cpu", 60);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), H200_HOST);

        assertThat(decision.choice().engine().backend()).isEqualTo("server");
        assertThat(decision.choice().why()).contains("it runs on the CPU only, although this host has 1 CUDA device"
                + " (NVIDIA H200)").contains("jinf runtimes install llama.cpp --gpu cuda");
    }

    @Test
    void aGivenCudaHostProfileIsMatchedStaticallyAndTheManifestsDriveTheCpuOnly() throws Exception {
        install(null, 60);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"),
                HostProfiles.resolve("linux-x86_64-cuda"));

        assertThat(decision.choice().engine().backend()).isEqualTo("server");
        assertThat(decision.choice().why()).contains("although this host has 1 CUDA device (NVIDIA A100-SXM4-80GB)")
                .contains("`jinf runtimes install llama.cpp --gpu cuda` installs a runtime that uses the GPU");
    }
}
