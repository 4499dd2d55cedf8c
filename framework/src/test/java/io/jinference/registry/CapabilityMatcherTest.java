package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import io.jinference.host.HostProfiles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The matcher alone: plain attribute maps, no framework. */
final class CapabilityMatcherTest {
    private static final HostProfile CPU = HostProfiles.preset("linux-x86_64-cpu").orElseThrow();

    @Test
    void filterSpecialCharactersInNamesAreEscaped() {
        assertThat(CapabilityMatcher.escape("a(b)*c\\d")).isEqualTo("a\\(b\\)\\*c\\\\d");
        ModelFamily family = family("odd(name)*", List.of("Odd(Arch)"));
        Map<String, Object> engine = cpuGgufEngineWith("families", List.of("odd(name)*"));
        CapabilityMatcher.Outcome outcome = CapabilityMatcher.match("x 1.0.0", engine, family, family.architectures(),
                family.specs(), null, CPU);
        assertThat(outcome.available()).isTrue();
        assertThat(outcome.runnable()).singleElement().satisfies(spec -> assertThat(spec.quantizations()).containsExactly("Q4_0", "Q8_0"));
    }

    @Test
    void aWildcardInAFamilyNameDoesNotMatchOtherFamilies() {
        Map<String, Object> engine = cpuGgufEngineWith("families", List.of("qwen-one"));
        ModelFamily family = family("qwen*", List.of());
        CapabilityMatcher.Outcome outcome = CapabilityMatcher.match("x 1.0.0", engine, family, List.of(), family.specs(), null, CPU);
        assertThat(outcome.reasons()).extracting(Reason::code).containsExactly(ReasonCode.MODEL_UNSUPPORTED);
    }

    @Test
    void quantizationListsAreMatchedCaseInsensitivelyAndKeepTheSpecsSpelling() {
        Map<String, Object> engine = cpuGgufEngineWith("quantizations.ggufv2", List.of("q8_0"));
        ModelFamily family = family("any", List.of());
        CapabilityMatcher.Outcome outcome = CapabilityMatcher.match("x 1.0.0", engine, family, List.of(), family.specs(), null, CPU);
        assertThat(outcome.runnable()).singleElement().satisfies(spec -> assertThat(spec.quantizations()).containsExactly("Q8_0"));
        assertThat(outcome.reasons()).isEmpty();
    }

    @Test
    void builtInFamiliesMatchAFamilyNameListAndCustomOnesAlsoTheirArchitecture() {
        Map<String, Object> namesAndArchitectures = new HashMap<>(cpuGgufEngineWith("families", List.of("listed")));
        namesAndArchitectures.put("architectures", List.of("LlamaForCausalLM"));
        Map<String, Object> architecturesOnly = cpuGgufEngineWith("architectures", List.of("LlamaForCausalLM"));

        assertThat(available(namesAndArchitectures, family("unlisted", List.of("LlamaForCausalLM"), true)))
                .as("a built-in family needs its name on an engine that lists names (the seed's vLLM rule)").isFalse();
        assertThat(available(namesAndArchitectures, family("listed", List.of("LlamaForCausalLM"), true))).isTrue();
        assertThat(available(namesAndArchitectures, family("my-llama", List.of("LlamaForCausalLM"), false)))
                .as("a custom family is matched by its architecture").isTrue();
        assertThat(available(architecturesOnly, family("unlisted", List.of("LlamaForCausalLM"), true)))
                .as("an engine listing architectures only judges built-ins by architecture").isTrue();
        assertThat(available(architecturesOnly, family("unlisted", List.of("GPTNeoXForCausalLM"), true))).isFalse();
    }

    private static boolean available(Map<String, Object> engine, ModelFamily family) {
        return CapabilityMatcher.match("x 1.0.0", engine, family, family.architectures(), family.specs(), null, CPU)
                .available();
    }

    /** Attributes of a GGUF chat engine for linux/x86_64 CPUs, plus one attribute under test. */
    private static Map<String, Object> cpuGgufEngineWith(String attribute, List<String> value) {
        return Map.of("engine", "x", "formats", List.of("ggufv2"), "os", List.of("linux"), "arch", List.of("x86_64"),
                "devices", List.of("cpu"), "abilities", List.of("chat"), attribute, value);
    }

    private static ModelFamily family(String name, List<String> architectures) {
        return family(name, architectures, false);
    }

    private static ModelFamily family(String name, List<String> architectures, boolean builtin) {
        return new ModelFamily(name, "", List.of(), List.of("chat"), 2048, architectures, null, List.of(), List.of(),
                List.of(new ModelSpec("ggufv2", "1", List.of("Q4_0", "Q8_0"), Map.of(), "/models/x.gguf")), null, builtin);
    }
}
