package io.jinference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A launch's {@code download_hub} chooses the hub, or is refused with the reason; it is never passed over. */
class HubRequestTest {
    private static final ModelSpec BOTH_HUBS = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of(
            "huggingface", new ModelSource("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "s.{quantization}.gguf", null),
            "modelscope", new ModelSource("AI-ModelScope/SmolLM2-135M-Instruct-GGUF", "s.{quantization}.gguf", null)),
            null);
    private static final ModelSpec HUGGING_FACE_ONLY = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of(
            "huggingface", new ModelSource("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF", "s.{quantization}.gguf", null)),
            null);

    @Test
    void theNamedHubIsUsed() {
        HubRequest request = HubRequest.from(BOTH_HUBS, "Q4_1", "ModelScope");
        assertThat(request.hub()).isEqualTo(HubSettings.MODELSCOPE);
        assertThat(request.repoId()).isEqualTo("AI-ModelScope/SmolLM2-135M-Instruct-GGUF");
        assertThat(request.revision()).isEqualTo("master");
        assertThat(HubRequest.from(BOTH_HUBS, "Q4_1", "huggingface").hub()).isEqualTo(HubSettings.HUGGINGFACE);
    }

    @Test
    void aHubTheSpecLacksOrAnUnknownHubIsRefused() {
        assertThatThrownBy(() -> HubRequest.from(HUGGING_FACE_ONLY, "Q4_1", "modelscope"))
                .isInstanceOf(HubException.class).hasMessageContaining("no modelscope repository");
        assertThatThrownBy(() -> HubRequest.from(BOTH_HUBS, "Q4_1", "csghub"))
                .isInstanceOf(HubException.class).hasMessageContaining("download_hub must be huggingface or modelscope");
    }
}
