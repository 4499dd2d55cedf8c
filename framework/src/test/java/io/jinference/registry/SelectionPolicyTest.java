package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class SelectionPolicyTest {

    @Test
    void defaultPolicyPrefersGpuServersThenMlxThenLlamaCppWithTransformersAsTheFallback() {
        SelectionPolicy policy = SelectionPolicy.defaults();
        assertThat(policy.describeFor("pytorch")).isEqualTo("pytorch → vLLM, SGLang, Transformers");
        assertThat(policy.describeFor("awq")).isEqualTo("awq → vLLM, SGLang, Transformers");
        assertThat(policy.describeFor("mlx")).isEqualTo("mlx → MLX");
        assertThat(policy.describeFor("ggufv2")).isEqualTo("ggufv2 → llama.cpp");
        assertThat(policy.describeFor("fp4")).isEqualTo("fp4 → (no preference: by capability priority)");
        assertThat(policy.rank("vllm", "pytorch")).isZero();
        assertThat(policy.rank("llama.cpp", "ggufv2")).isLessThan(policy.rank("Transformers", "pytorch"));
        assertThat(policy.rank("vLLM", "ggufv2")).isEqualTo(policy.steps().size());
    }

    @Test
    void parsesAndRendersTheSameText() {
        String text = "llama.cpp:ggufv2 > Transformers:pytorch,gptq > vLLM:pytorch";
        SelectionPolicy policy = SelectionPolicy.parse(text);
        assertThat(policy).hasToString(text);
        assertThat(policy.describeFor("pytorch")).isEqualTo("pytorch → Transformers, vLLM");
        assertThat(SelectionPolicy.parse(SelectionPolicy.defaults().toString())).hasToString(SelectionPolicy.defaults().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"vLLM", "vLLM:", ":pytorch", "vLLM:pytorch > ", "a:b:c"})
    void rejectsMalformedSteps(String text) {
        assertThatThrownBy(() -> SelectionPolicy.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not 'engine:format,format'");
    }

    @Test
    void rejectsAnEmptyPolicyWithAnExample() {
        assertThatThrownBy(() -> SelectionPolicy.parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected e.g. 'vLLM:pytorch");
    }
}
