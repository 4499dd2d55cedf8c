package io.jinference.engine.transformers.python;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.ProbeResult;
import io.jinference.api.ReasonCode;
import io.jinference.engine.support.PythonRuntime;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe on a real Python with transformers 4.57 (the transformers-ref venv), and on Pythons without it. */
final class PythonTransformersProbeTest {
    @AfterEach
    void forgetRuntime() {
        System.clearProperty(PythonBackendFixtures.RUNTIME_PROPERTY);
    }

    @Test
    void theArchitecturesAreAutoModelForCausalLmsMappingAndTheAnswerIsKept() {
        Path python = PythonBackendFixtures.python();
        System.setProperty(PythonBackendFixtures.RUNTIME_PROPERTY, python.toString());

        ProbeResult probe = new PythonTransformersEngine().probe(null);

        assertThat(probe.available()).as(String.valueOf(probe.reason())).isTrue();
        assertThat(probe.runtime()).startsWith("transformers 4.57.").contains("torch 2.7.1", python.toString());
        List<String> architectures = probe.extraCapabilities().get("architectures");
        assertThat(architectures).hasSizeGreaterThan(100).contains("LlamaForCausalLM", "Qwen3ForCausalLM",
                "Gemma2ForCausalLM", "Gemma3ForCausalLM", "Phi3ForCausalLM", "Qwen2MoeForCausalLM",
                "GPTNeoXForCausalLM", "OlmoForCausalLM").doesNotContain("ChatGLMModel", "BertModel");
        assertThat(probe.note()).contains("AutoModelForCausalLM mapping names " + architectures.size());
        // Without accelerate there is no device_map, so no GPU is claimed (PyPI's Linux torch is a CUDA build).
        assertThat(probe.extraCapabilities()).doesNotContainKey("devices");

        PythonRuntime runtime = PythonRuntime.locate("transformers").orElseThrow();
        Map<String, String> versions = runtime.installedVersions(List.of("transformers", "torch", "accelerate"));
        assertThat(CausalLmArchitectures.of(runtime, versions)).as("asked once, then kept")
                .isSameAs(CausalLmArchitectures.of(runtime, versions));
    }

    @Test
    void withoutAPythonTheProbeNamesTheInstallCommand(@TempDir Path home) {
        System.setProperty("jinference.home", home.toString());
        try {
            ProbeResult probe = new PythonTransformersEngine().probe(null);

            assertThat(probe.available()).isFalse();
            assertThat(probe.reason().code()).isEqualTo(ReasonCode.RUNTIME_MISSING);
            assertThat(probe.reason().message()).isEqualTo("No Python runtime for transformers: run `jinf runtimes"
                    + " install transformers`, or point jinference.python.transformers at a Python that has it");
        } finally {
            System.clearProperty("jinference.home");
        }
    }

    @Test
    void aPythonWithoutTransformersIsRuntimeMissingWithTheFix() {
        PythonRuntime plain = new PythonRuntime(Path.of("/usr/bin/python3"), "configured by a test");

        ProbeResult probe = PythonTransformersProbe.judge(plain, Map.of());

        assertThat(probe.available()).isFalse();
        assertThat(probe.reason().code()).isEqualTo(ReasonCode.RUNTIME_MISSING);
        assertThat(probe.reason().message()).isEqualTo("transformers is not installed in /usr/bin/python3 (configured"
                + " by a test): run `jinf runtimes install transformers`");
        assertThat(PythonTransformersProbe.judge(plain, Map.of("transformers", "4.40.2", "torch", "2.7.1")).reason()
                .message()).contains("older than 4.53");
    }

    @Test
    void versionsCompareByMajorAndMinor() {
        assertThat(PythonTransformersProbe.atLeast("4.57.1", "4.53")).isTrue();
        assertThat(PythonTransformersProbe.atLeast("5.0.0rc1", "4.53")).isTrue();
        assertThat(PythonTransformersProbe.atLeast("4.9.0", "4.53")).isFalse();
        assertThat(PythonTransformersProbe.atLeast("dev", "4.53")).isFalse();
    }
}
