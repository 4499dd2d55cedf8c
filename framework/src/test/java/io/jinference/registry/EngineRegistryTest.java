package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.HostProfile;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import io.jinference.catalog.CatalogException;
import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.UnknownFamilyException;
import io.jinference.host.HostProbe;
import io.jinference.host.HostProfiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;

/**
 * The registry against real engine bundles in a real Felix, all installed and none started: capabilities are read from
 * INSTALLED bundles and matched statically for given host profiles.
 */
final class EngineRegistryTest {
    @TempDir
    static Path dir;
    private static EmbeddedFelix felix;
    private static EngineRegistry registry;
    private static ModelCatalog catalog;
    private static Selector selector;

    /** linux/aarch64 with a CUDA GPU (a Grace Hopper box): only vLLM's arch gate fails. */
    private static final HostProfile GRACE_HOPPER = HostProfiles.parse(
            "{\"os\":\"linux\",\"arch\":\"aarch64\",\"gpus\":[{\"name\":\"NVIDIA GH200\",\"memory_bytes\":103079215104}]}");

    @BeforeAll
    static void installEngines() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("felix"));
        TestEngineBundles bundles = new TestEngineBundles(dir);
        felix.install(bundles.capabilityOnly("test.engine.vllm", "0.11.0", TestEngineBundles.VLLM));
        felix.install(bundles.capabilityOnly("test.engine.sglang", "0.5.0", TestEngineBundles.SGLANG));
        felix.install(bundles.capabilityOnly("test.engine.llamacpp", "1.0.0", TestEngineBundles.LLAMA_CPP.formatted("1.0.0")));
        felix.install(bundles.capabilityOnly("test.engine.llamacpp", "4.2.0", TestEngineBundles.LLAMA_CPP.formatted("4.2.0")));
        felix.install(bundles.capabilityOnly("test.engine.transformers", "0.36.0", TestEngineBundles.TRANSFORMERS));
        felix.install(bundles.capabilityOnly("test.engine.mlx", "0.26.0", TestEngineBundles.MLX));
        registry = new EngineRegistry(felix.context());
        registry.open();
        catalog = RegistryFixture.catalogWithTestFamilies(dir.resolve("home"));
        selector = new Selector(registry, catalog, SelectionPolicy.defaults());
    }

    @AfterAll
    static void stopFelix() throws Exception {
        registry.close();
        felix.close();
    }

    @Test
    void readsCapabilitiesOfInstalledButNotStartedBundles() {
        assertThat(felix.context().getBundles()).filteredOn(b -> b.getBundleId() != 0)
                .allSatisfy(bundle -> assertThat(bundle.getState()).isEqualTo(Bundle.INSTALLED));
        assertThat(registry.descriptors()).extracting(EngineDescriptor::label).containsExactly(
                "llama.cpp 4.2.0", "llama.cpp 1.0.0", "MLX 0.26.0", "SGLang 0.5.0", "Transformers 0.36.0", "vLLM 0.11.0");
        EngineDescriptor vllm = descriptor("vLLM");
        assertThat(vllm.formats()).containsExactly("pytorch", "gptq", "awq", "fp8", "fp4");
        assertThat(vllm.quantizations("gptq")).containsExactly("Int3", "Int4", "Int8");
        assertThat(vllm.quantizations("fp8")).isEmpty();
        assertThat(vllm.families()).as("read from models.resource").hasSize(70).contains("qwen2.5-instruct", "Yi", "QwQ-32B");
        assertThat(vllm.architectures()).containsExactly("Qwen2ForCausalLM");
        assertThat(vllm.restrictsModels()).isTrue();
        assertThat(vllm.priority()).isEqualTo(100);
        assertThat(descriptor("MLX").os()).as("untyped single value").containsExactly("macos");
        assertThat(descriptor("llama.cpp").restrictsModels()).isFalse();
        assertThat(registry.service(vllm)).isEmpty();
        assertThat(registry.isActive(vllm)).isFalse();
    }

    /** One row of the table: on this host, asking vLLM for this spec, expect these reason codes (none = it can run it). */
    static Stream<Arguments> vllmRule() {
        return Stream.of(
                row("linux-x86_64-cuda", "qwen2.5-instruct", "pytorch", "7", "none"),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "pytorch", "7", null),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "pytorch", "0.5", "NONE"),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "gptq", "007", "int8"),
                row("linux-x86_64-cuda", "llama-2", "pytorch", "7", "4-bit", ReasonCode.QUANTIZATION_UNSUPPORTED),
                row("linux-x86_64-cuda", "llama-2", "pytorch", "7", "8-bit", ReasonCode.QUANTIZATION_UNSUPPORTED),
                row("linux-x86_64-cuda", "llama-2", "awq", "7", "Int4"),
                row("linux-x86_64-cuda", "awq-eight", "awq", "7", "Int8", ReasonCode.QUANTIZATION_UNSUPPORTED),
                row("linux-x86_64-cuda", "gptq-zoo", "gptq", "7", "Int3"),
                row("linux-x86_64-cuda", "llama-2", "gptq", "7", "int4"),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "gptq", "7", "Int8"),
                row("linux-x86_64-cuda", "gptq-zoo", "gptq", "7", "Int2", ReasonCode.QUANTIZATION_UNSUPPORTED),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "ggufv2", "7", null, ReasonCode.FORMAT_UNSUPPORTED),
                row("linux-x86_64-cuda", "qwen2.5-instruct", "mlx", "7", null, ReasonCode.FORMAT_UNSUPPORTED),
                row("linux-x86_64-cuda", "qwen3", "pytorch", "8", null, ReasonCode.MODEL_UNSUPPORTED),
                row("linux-x86_64-cuda", "smollm2-instruct", "pytorch", "0_135", null, ReasonCode.MODEL_UNSUPPORTED),
                row("linux-x86_64-cuda", "orphan-model", "pytorch", "7", null, ReasonCode.MODEL_UNSUPPORTED),
                row("linux-x86_64-cuda", "embedder", "pytorch", "7", null, ReasonCode.ABILITY_UNSUPPORTED),
                row("linux-x86_64-cuda-x4", "qwen2.5-instruct", "awq", "72", "Int4"),
                row("linux-x86_64-cpu", "qwen2.5-instruct", "pytorch", "7", "none", ReasonCode.DEVICE_MISSING),
                row("windows-x86_64-cpu", "qwen2.5-instruct", "pytorch", "7", "none", ReasonCode.OS_UNSUPPORTED,
                        ReasonCode.DEVICE_MISSING),
                row("macos-arm64", "qwen2.5-instruct", "pytorch", "7", "none", ReasonCode.OS_UNSUPPORTED,
                        ReasonCode.ARCH_UNSUPPORTED, ReasonCode.DEVICE_MISSING),
                row("grace-hopper", "qwen2.5-instruct", "pytorch", "7", "none", ReasonCode.ARCH_UNSUPPORTED),
                row("linux-x86_64-cpu", "embedder", "pytorch", null, null, ReasonCode.DEVICE_MISSING,
                        ReasonCode.ABILITY_UNSUPPORTED));
    }

    @ParameterizedTest(name = "{0}: {1} {2} {3} {4} -> {5}")
    @MethodSource("vllmRule")
    void vllmFollowsTheSeedRule(String host, String model, String format, String size, String quantization,
            Set<ReasonCode> expected) {
        Decision decision = selector.decide(new SelectionRequest(model, format, size, quantization, "vllm", null), host(host));
        EngineCandidate vllm = decision.candidates().get(0);
        assertThat(decision.candidates()).hasSize(1);
        assertThat(vllm.engine()).isEqualTo("vLLM");
        assertThat(vllm.reasons()).extracting(Reason::code).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(vllm.reasons()).allSatisfy(reason -> assertThat(reason.message()).startsWith("vLLM 0.11.0 "));
        assertThat(vllm.available()).isEqualTo(expected.isEmpty());
        if (expected.isEmpty()) {
            assertThat(decision.choice().engine()).isSameAs(vllm);
            assertThat(vllm.specs()).isNotEmpty().allSatisfy(spec -> assertThat(spec.format()).isEqualTo(format));
            if (quantization != null) {
                assertThat(decision.choice().quantization()).isEqualToIgnoringCase(quantization);
                assertThat(decision.choice().spec().quantizations()).contains(decision.choice().quantization());
            }
        } else {
            assertThat(decision.choice()).isNull();
            assertThat(decision.explanation()).contains("No installed engine can run " + model);
        }
    }

    @Test
    void reasonMessagesSayWhatToDo() {
        Map<ReasonCode, String> messages = Stream.of(
                        reasons("linux-x86_64-cpu", "qwen2.5-instruct", "pytorch", null),
                        reasons("macos-arm64", "qwen2.5-instruct", "pytorch", null),
                        reasons("linux-x86_64-cuda", "qwen2.5-instruct", "ggufv2", null),
                        reasons("linux-x86_64-cuda", "qwen3", "pytorch", null),
                        reasons("linux-x86_64-cuda", "embedder", "pytorch", null),
                        reasons("linux-x86_64-cuda", "gptq-zoo", "gptq", "Int2"))
                .flatMap(List::stream).collect(Collectors.toMap(Reason::code, Reason::message, (a, b) -> a));
        assertThat(messages.get(ReasonCode.DEVICE_MISSING)).isEqualTo("vLLM 0.11.0 needs a cuda device; this host has cpu only");
        assertThat(messages.get(ReasonCode.OS_UNSUPPORTED)).isEqualTo("vLLM 0.11.0 runs on linux, not on macos");
        assertThat(messages.get(ReasonCode.ARCH_UNSUPPORTED)).isEqualTo("vLLM 0.11.0 runs on x86_64 CPUs, not on aarch64");
        assertThat(messages.get(ReasonCode.FORMAT_UNSUPPORTED))
                .isEqualTo("vLLM 0.11.0 supports the formats pytorch, gptq, awq, fp8, fp4, not ggufv2");
        assertThat(messages.get(ReasonCode.MODEL_UNSUPPORTED))
                .isEqualTo("vLLM 0.11.0 does not support model qwen3 nor its architecture Qwen3ForCausalLM");
        assertThat(messages.get(ReasonCode.ABILITY_UNSUPPORTED)).isEqualTo("vLLM 0.11.0 offers generate, chat; embedder needs embed");
        assertThat(messages.get(ReasonCode.QUANTIZATION_UNSUPPORTED))
                .isEqualTo("vLLM 0.11.0 runs gptq only in quantization Int3, Int4, Int8; gptq-zoo gptq 7B offers Int2, Int3");
    }

    @Test
    void aCustomFamilyQualifiesThroughItsBaseFamilysArchitecture() {
        Decision decision = selector.decide(new SelectionRequest("gptq-zoo", null, null, null, "vLLM", null), host("linux-x86_64-cuda"));
        assertThat(decision.choice().engine().engine()).isEqualTo("vLLM");
        assertThat(decision.candidates().get(0).specs()).containsExactly(new SpecParams("gptq", "7", List.of("Int3")));
    }

    /** Auto-choice per preset host: the engine, format and quantization chosen, and the policy rule quoted in why. */
    static Stream<Arguments> autoChoice() {
        return Stream.of(
                Arguments.of("linux-x86_64-cuda", "qwen2.5-instruct", null, "vLLM 0.11.0", "pytorch 0.5B none",
                        "first in policy 'pytorch → vLLM, SGLang, Transformers' that can run pytorch 0.5B none on linux/x86_64 with 1 CUDA device"),
                Arguments.of("linux-x86_64-cuda-x4", "qwen2.5-instruct", "gptq", "vLLM 0.11.0", "gptq 0.5B Int4",
                        "first in policy 'gptq → vLLM, SGLang, Transformers' that can run gptq 0.5B Int4 on linux/x86_64 with 4 CUDA devices"),
                Arguments.of("linux-x86_64-cuda", "qwen3", null, "SGLang 0.5.0", "pytorch 0.6B none",
                        "first in policy 'pytorch → vLLM, SGLang, Transformers'"),
                Arguments.of("linux-x86_64-cpu", "qwen2.5-instruct", null, "llama.cpp 4.2.0", "ggufv2 0.5B q2_k",
                        "first in policy 'ggufv2 → llama.cpp' that can run ggufv2 0.5B q2_k on linux/x86_64, CPU only"),
                Arguments.of("linux-x86_64-cpu", "qwen2.5-instruct", "pytorch", "Transformers 0.36.0", "pytorch 0.5B none",
                        "first in policy 'pytorch → vLLM, SGLang, Transformers'"),
                Arguments.of("linux-x86_64-cpu", "smollm2-instruct", null, "llama.cpp 4.2.0", "ggufv2 0.135B Q4_1", "ggufv2 → llama.cpp"),
                Arguments.of("macos-arm64", "qwen2.5-instruct", null, "MLX 0.26.0", "mlx 0.5B 4bit",
                        "first in policy 'mlx → MLX' that can run mlx 0.5B 4bit on macos/aarch64 (Apple silicon)"),
                Arguments.of("windows-x86_64-cpu", "qwen2.5-instruct", null, "llama.cpp 4.2.0", "ggufv2 0.5B q2_k", "on windows/x86_64, CPU only"),
                Arguments.of("linux-x86_64-cuda", "fp4-model", null, "vLLM 0.11.0", "fp4 7B fp4",
                        "no policy step prefers an engine for fp4; highest capability priority (100)"),
                Arguments.of("linux-x86_64-cpu", "fp4-model", null, "Transformers 0.36.0", "fp4 7B fp4",
                        "highest capability priority (10)"));
    }

    @ParameterizedTest(name = "{0}: {1} {2} -> {3} {4}")
    @MethodSource("autoChoice")
    void choosesByPolicyOnEachPresetHost(String host, String model, String format, String engine, String spec, String why) {
        Decision decision = selector.decide(new SelectionRequest(model, format, null, null, null, null), host(host));
        Choice choice = decision.choice();
        assertThat(choice).as(decision.explanation()).isNotNull();
        assertThat(choice.engine().label()).isEqualTo(engine);
        assertThat(io.jinference.catalog.ModelSpecs.describe(choice.spec(), choice.quantization())).isEqualTo(spec);
        assertThat(choice.why()).startsWith(engine + ": ").contains(why);
        assertThat(decision.explanation()).startsWith("Chose " + choice.why())
                .contains("capabilities were matched statically and runtime checks are not applicable");
        assertThat(decision.candidates().get(0)).isSameAs(choice.engine());
        assertThat(decision.policy()).isEqualTo(SelectionPolicy.defaults().toString());
        assertThat(decision.candidates()).allSatisfy(candidate -> {
            assertThat(candidate.runtime()).isNull();
            assertThat(candidate.note()).contains("not applicable");
        });
    }

    @Test
    void severalVersionsOfOneEngineAreSeparateCandidatesAndTheNewestWins() {
        HostProfile cpu = host("linux-x86_64-cpu");
        Decision newest = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "LLAMA.CPP", null), cpu);
        assertThat(newest.candidates()).extracting(EngineCandidate::label).containsExactly("llama.cpp 4.2.0", "llama.cpp 1.0.0");
        assertThat(newest.choice().engine().version()).isEqualTo(Version.parseVersion("4.2.0"));
        assertThat(newest.choice().why()).contains("named in the request");
        Decision exact = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", "1.0.0"), cpu);
        assertThat(exact.choice().engine().label()).isEqualTo("llama.cpp 1.0.0");
        Decision range = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", "[1,2)"), cpu);
        assertThat(range.candidates()).extracting(EngineCandidate::label).containsExactly("llama.cpp 1.0.0");
        Decision none = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", "[5,6)"), cpu);
        assertThat(none.choice()).isNull();
        assertThat(none.explanation()).startsWith("No engine bundle named llama.cpp at version [5,6) is installed");
        assertThatThrownBy(() -> selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", "one"), cpu))
                .isInstanceOf(CatalogException.class).hasMessageContaining("neither a version");
    }

    @Test
    void xinferenceViewListsParamsPerFormatAndSizeOrAReasonString() {
        Decision decision = selector.decide(SelectionRequest.of("qwen2.5-instruct"), host("linux-x86_64-cuda"));
        Map<String, Object> view = decision.xinferenceView();
        assertThat(view).containsOnlyKeys("vLLM", "SGLang", "llama.cpp", "Transformers", "MLX");
        assertThat(List.copyOf(view.keySet())).startsWith("vLLM");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> vllm = (List<Map<String, Object>>) view.get("vLLM");
        assertThat(vllm).contains(
                Map.of("model_name", "qwen2.5-instruct", "model_format", "pytorch", "model_size_in_billions", "0_5",
                        "quantizations", List.of("none"), "support_draft_model", false),
                Map.of("model_name", "qwen2.5-instruct", "model_format", "gptq", "model_size_in_billions", 7,
                        "quantizations", List.of("Int4", "Int8"), "support_draft_model", false));
        assertThat(vllm).noneSatisfy(param -> assertThat(param.get("model_format")).isIn("ggufv2", "mlx"));
        assertThat(view.get("llama.cpp")).isInstanceOf(List.class);
        assertThat((String) view.get("MLX")).contains("MLX 0.26.0 runs on macos, not on linux");
    }

    @Test
    void aProbedHostNeedsStartedEngines() {
        HostProfile thisMachine = HostProbe.probe();
        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), thisMachine);
        assertThat(decision.choice()).isNull();
        assertThat(decision.candidates()).allSatisfy(candidate -> {
            assertThat(candidate.available()).isFalse();
            assertThat(candidate.reasons().get(0).code()).isEqualTo(ReasonCode.ENGINE_NOT_ACTIVE);
            assertThat(candidate.reasons().get(0).message()).contains("installed but not started");
        });
        EngineCandidate llama = decision.candidates().stream().filter(c -> c.label().equals("llama.cpp 4.2.0")).findFirst().orElseThrow();
        assertThat(llama.reasons()).extracting(Reason::code).containsExactly(ReasonCode.ENGINE_NOT_ACTIVE);
        assertThat(llama.specs()).as("what it could run once started").isNotEmpty();
    }

    @Test
    void unknownModelsAndSpecsAreCatalogErrors() {
        HostProfile cpu = host("linux-x86_64-cpu");
        assertThatThrownBy(() -> selector.decide(SelectionRequest.of("no-such-model"), cpu))
                .isInstanceOf(UnknownFamilyException.class).hasMessageContaining("no-such-model");
        assertThatThrownBy(() -> selector.decide(new SelectionRequest("qwen3", "ggufv2", "999", null, null, null), cpu))
                .isInstanceOf(CatalogException.class).hasMessageContaining("qwen3 has no spec with format ggufv2 size 999");
        assertThatThrownBy(() -> selector.decide(new SelectionRequest("qwen3", null, "8b", null, null, null), cpu))
                .isInstanceOf(CatalogException.class).hasMessageContaining("'8b' is not a number of billions");
        Decision unknownEngine = selector.decide(new SelectionRequest("qwen3", null, null, null, "TensorRT", null), cpu);
        assertThat(unknownEngine.candidates()).isEmpty();
        assertThat(unknownEngine.explanation()).startsWith("No engine bundle named TensorRT is installed");
        assertThat(unknownEngine.xinferenceView()).isEmpty();
    }

    private static List<Reason> reasons(String host, String model, String format, String quantization) {
        return selector.decide(new SelectionRequest(model, format, null, quantization, "vLLM", null), host(host))
                .candidates().get(0).reasons();
    }

    private static EngineDescriptor descriptor(String engine) {
        return registry.descriptors().stream().filter(d -> d.engine().equals(engine)).findFirst().orElseThrow();
    }

    static HostProfile host(String name) {
        return name.equals("grace-hopper") ? GRACE_HOPPER : HostProfiles.preset(name).orElseThrow();
    }

    private static Arguments row(String host, String model, String format, String size, String quantization,
            ReasonCode... codes) {
        return Arguments.of(host, model, format, size, quantization, Set.copyOf(Arrays.asList(codes)));
    }
}
