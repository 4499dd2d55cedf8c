package io.jinference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Two engine servers' expositions merge into one, each family once, every sample labelled with its model. */
final class PrometheusRelabelTest {
    private static final String LLAMA = """
            # HELP llamacpp:tokens_predicted_total Number of generation tokens processed
            # TYPE llamacpp:tokens_predicted_total counter
            llamacpp:tokens_predicted_total 5
            # HELP vllm:ttft Time to first token
            # TYPE vllm:ttft histogram
            vllm:ttft_bucket{le="0.5",model_name="m"} 1
            vllm:ttft_bucket{le="+Inf",model_name="m"} 2
            vllm:ttft_count{model_name="m"} 2
            vllm:ttft_sum{} 0.9
            """;

    @Test
    void familiesStayTogetherAndEverySampleIsLabelled() {
        PrometheusRelabel merged = new PrometheusRelabel();
        merged.add(LLAMA, "model_uid", "a", "engine", "llama.cpp");
        merged.add(LLAMA.replace(" 5", " 7"), "model_uid", "b\"q", "engine", "llama.cpp");

        assertThat(merged.text()).isEqualTo("""
                # HELP llamacpp:tokens_predicted_total Number of generation tokens processed
                # TYPE llamacpp:tokens_predicted_total counter
                llamacpp:tokens_predicted_total{model_uid="a",engine="llama.cpp"} 5
                llamacpp:tokens_predicted_total{model_uid="b\\"q",engine="llama.cpp"} 7
                # HELP vllm:ttft Time to first token
                # TYPE vllm:ttft histogram
                vllm:ttft_bucket{model_uid="a",engine="llama.cpp",le="0.5",model_name="m"} 1
                vllm:ttft_bucket{model_uid="a",engine="llama.cpp",le="+Inf",model_name="m"} 2
                vllm:ttft_count{model_uid="a",engine="llama.cpp",model_name="m"} 2
                vllm:ttft_sum{model_uid="a",engine="llama.cpp"} 0.9
                vllm:ttft_bucket{model_uid="b\\"q",engine="llama.cpp",le="0.5",model_name="m"} 1
                vllm:ttft_bucket{model_uid="b\\"q",engine="llama.cpp",le="+Inf",model_name="m"} 2
                vllm:ttft_count{model_uid="b\\"q",engine="llama.cpp",model_name="m"} 2
                vllm:ttft_sum{model_uid="b\\"q",engine="llama.cpp"} 0.9
                """);
    }

    @Test
    void nothingScrapedIsNothingShown() {
        assertThat(new PrometheusRelabel().text()).isEmpty();
    }
}
