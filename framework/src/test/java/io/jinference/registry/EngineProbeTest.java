package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import io.jinference.host.HostProbe;
import io.jinference.host.HostProfiles;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * Started engine bundles whose activators register engine services: on a probed host the registry adds each service's
 * runtime probe (extra capabilities, notes, missing runtimes); a given host is matched statically.
 */
final class EngineProbeTest {
    @TempDir
    Path dir;
    private EmbeddedFelix felix;
    private EngineRegistry registry;
    private Selector selector;
    private TestEngineBundles bundles;
    private final HostProfile thisMachine = HostProbe.probe();

    @BeforeEach
    void startFelix() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("felix"));
        bundles = new TestEngineBundles(dir);
        registry = new EngineRegistry(felix.context());
        registry.open();
        selector = new Selector(registry, RegistryFixture.catalogWithTestFamilies(dir.resolve("home")), SelectionPolicy.defaults());
    }

    @AfterEach
    void stopFelix() throws Exception {
        registry.close();
        felix.close();
    }

    @Test
    void aProbeThatFindsACpuBuildAddsTheCpuDeviceAndItsNote() throws Exception {
        Bundle vllm = felix.install(bundles.withStandInService("test.engine.vllm.cpu", "0.11.0", TestEngineBundles.VLLM, Map.of(
                "X-StandIn-Engine", "vLLM", "X-StandIn-Probe", "available", "X-StandIn-Runtime", "vllm 0.11.0 (CPU build)",
                "X-StandIn-Extra-Devices", "cpu", "X-StandIn-Note", "a CPU build of vLLM is installed")));
        vllm.start();

        Decision decision = selector.decide(SelectionRequest.of("qwen2.5-instruct"), thisMachine);

        EngineCandidate candidate = decision.candidates().get(0);
        assertThat(candidate.available()).as(decision.explanation()).isTrue();
        assertThat(candidate.runtime()).isEqualTo("vllm 0.11.0 (CPU build)");
        assertThat(candidate.note()).isEqualTo("a CPU build of vLLM is installed");
        assertThat(decision.choice().why()).isEqualTo("vLLM 0.11.0: first in policy 'pytorch → vLLM, SGLang, Transformers'"
                + " that can run pytorch 0.5B none on " + HostProfiles.describe(thisMachine));
        assertThat(decision.explanation()).contains("[runtime: vllm 0.11.0 (CPU build)] (a CPU build of vLLM is installed)")
                .doesNotContain("not applicable");
    }

    @Test
    void aMissingOrFailingRuntimeIsRuntimeMissing() throws Exception {
        felix.install(bundles.withStandInService("test.engine.sglang", "0.5.0", TestEngineBundles.SGLANG, Map.of(
                "X-StandIn-Engine", "SGLang", "X-StandIn-Probe", "missing",
                "X-StandIn-Note", "Python package sglang is not importable; pip install sglang"))).start();
        felix.install(bundles.withStandInService("test.engine.transformers", "0.36.0", TestEngineBundles.TRANSFORMERS, Map.of(
                "X-StandIn-Engine", "Transformers", "X-StandIn-Probe", "throw",
                "X-StandIn-Note", "libtorch failed to load"))).start();

        Decision decision = selector.decide(new SelectionRequest("qwen3", "pytorch", null, null, null, null), thisMachine);

        assertThat(decision.choice()).isNull();
        assertThat(reasons(decision, "SGLang")).first().isEqualTo(new Reason(ReasonCode.RUNTIME_MISSING,
                "Python package sglang is not importable; pip install sglang"));
        assertThat(reasons(decision, "Transformers")).containsExactly(new Reason(ReasonCode.RUNTIME_MISSING,
                "Transformers 0.36.0 failed its runtime probe: libtorch failed to load"));
        assertThat(decision.xinferenceView().get("Transformers"))
                .isEqualTo("Transformers 0.36.0 failed its runtime probe: libtorch failed to load");
    }

    @Test
    void anEngineIsActiveOnlyWhileItsBundleRunsAndItsServiceIsRegistered() throws Exception {
        Bundle withService = felix.install(bundles.withStandInService("test.engine.llamacpp", "4.2.0",
                TestEngineBundles.LLAMA_CPP.formatted("4.2.0"),
                Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available", "X-StandIn-Runtime", "llama.cpp b4916")));
        Bundle withoutService = felix.install(bundles.capabilityOnly("test.engine.llamacpp.bare", "1.0.0",
                TestEngineBundles.LLAMA_CPP.formatted("1.0.0")));
        withService.start();
        withoutService.start();
        SelectionRequest smol = new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", null);

        Decision running = selector.decide(smol, thisMachine);
        assertThat(running.choice().engine().label()).isEqualTo("llama.cpp 4.2.0");
        assertThat(running.choice().quantization()).isEqualTo("Q4_1");
        assertThat(running.candidates().get(1).reasons()).extracting(Reason::code).containsExactly(ReasonCode.ENGINE_NOT_ACTIVE);
        assertThat(running.candidates().get(1).reasons().get(0).message()).contains("has not registered its InferenceEngine service");

        withService.stop();
        Decision stopped = selector.decide(smol, thisMachine);
        assertThat(stopped.choice()).isNull();
        assertThat(stopped.candidates()).allSatisfy(candidate ->
                assertThat(candidate.reasons()).extracting(Reason::code).containsExactly(ReasonCode.ENGINE_NOT_ACTIVE));

        Decision given = selector.decide(smol, HostProfiles.preset("linux-x86_64-cpu").orElseThrow());
        assertThat(given.choice().engine().label()).as("a given host is matched statically").isEqualTo("llama.cpp 4.2.0");
        assertThat(given.candidates()).allSatisfy(candidate -> assertThat(candidate.runtime()).isNull());
    }

    @Test
    void updatingABundleRereadsItsCapabilities() throws Exception {
        Bundle llama = felix.install(bundles.capabilityOnly("test.engine.llamacpp", "1.0.0", TestEngineBundles.LLAMA_CPP.formatted("1.0.0")));
        assertThat(registry.descriptors()).extracting(EngineDescriptor::label).containsExactly("llama.cpp 1.0.0");
        try (InputStream updated = new FileInputStream(
                bundles.capabilityOnly("test.engine.llamacpp", "5.0.0", TestEngineBundles.LLAMA_CPP.formatted("5.0.0")))) {
            llama.update(updated);
        }
        assertThat(registry.descriptors()).singleElement().satisfies(descriptor -> {
            assertThat(descriptor.version()).isEqualTo(Version.parseVersion("5.0.0"));
            assertThat(descriptor.bundleId()).isEqualTo(llama.getBundleId());
        });
        llama.uninstall();
        assertThat(registry.descriptors()).isEmpty();
    }

    private static java.util.List<Reason> reasons(Decision decision, String engine) {
        return decision.candidates().stream().filter(c -> c.engine().equals(engine)).findFirst().orElseThrow().reasons();
    }
}
