package io.jinference.engine.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.SamplingParams;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestParametersTest {

    @Test
    void mapsEverySamplingSettingOntoLlamaCppsNames() {
        SamplingParams sampling = new SamplingParams(10, 0.5, 0.9, 40, 7L, List.of("END"), 1.1, Map.of());

        String json = RequestParameters.of("hi", sampling, 10, List.of("<|im_end|>", "END"), null).toString();

        assertThat(json).contains("\"n_predict\": 10", "\"temperature\": 0.5", "\"top_p\": 0.9", "\"top_k\": 40",
                "\"seed\": 7", "\"repeat_penalty\": 1.1", "\"stop\": [\"END\", \"<|im_end|>\"]", "\"prompt\": \"hi\"");
    }

    @Test
    void leavesUnsetValuesToLlamaCppAndUsesTheLaunchSeed() {
        String json = RequestParameters.of("hi", SamplingParams.defaults(), 5, List.of(), 99L).toString();

        assertThat(json).contains("\"n_predict\": 5", "\"seed\": 99")
                .doesNotContain("temperature", "top_p", "top_k", "repeat_penalty", "stop");
    }

    @Test
    void aNegativeTopKMeansNoCut() {
        SamplingParams sampling = new SamplingParams(null, null, null, -1, null, List.of(), null, Map.of());

        assertThat(RequestParameters.of("hi", sampling, 5, List.of(), null).toString()).contains("\"top_k\": 0");
    }

    @Test
    void rejectsValuesOutOfRange() {
        assertInvalid(new SamplingParams(null, -0.1, null, null, null, List.of(), null, Map.of()), "temperature");
        assertInvalid(new SamplingParams(null, null, 0.0, null, null, List.of(), null, Map.of()), "top_p");
        assertInvalid(new SamplingParams(null, null, 1.5, null, null, List.of(), null, Map.of()), "top_p");
        assertInvalid(new SamplingParams(null, null, null, null, null, List.of(), -1.0, Map.of()), "repetition_penalty");
    }

    private static void assertInvalid(SamplingParams sampling, String name) {
        assertThatThrownBy(() -> RequestParameters.of("hi", sampling, 5, List.of(), null))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageContaining(name);
    }
}
