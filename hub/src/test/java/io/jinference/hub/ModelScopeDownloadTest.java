package io.jinference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import io.jinference.hub.standin.HubStandIn;
import io.jinference.hub.standin.StandInRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from the ModelScope part of the hub STAND-IN into ModelScope's own cache layout. */
class ModelScopeDownloadTest {
    private static final String REPO = "QuantFactory/SmolLM2-135M-Instruct.GGUF";

    @TempDir
    Path temp;

    @Test
    void fetchesIntoModelScopesLayoutVerifiedAndOfflineAfterwards() throws IOException {
        try (HubStandIn standIn = HubStandIn.start()) {
            standIn.add(new StandInRepo(REPO, Map.of(SmolLm2Gguf.FILE, SmolLm2Gguf.path())));
            Path cache = temp.resolve("modelscope");
            HubSettings settings = HubSettings.fromEnvironment(Map.of("JINFERENCE_MODEL_SRC", "modelscope"), temp)
                    .withModelScope(standIn.endpoint(), cache);
            ModelSpec spec = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of(
                    "huggingface", new ModelSource("elsewhere/not-used", "x.gguf", null),
                    "modelscope", new ModelSource(REPO, "SmolLM2-135M-Instruct.{quantization}.gguf", null)), null);
            HubRequest request = HubRequest.of(spec, "Q4_1", settings.preferredHub());
            assertThat(request.hub()).isEqualTo("modelscope");
            assertThat(request.revision()).isEqualTo("master");

            DownloadedModel model = new ModelHub(settings, 1 << 20, 4).download(request, new DownloadProgress(REPO));

            Path expected = cache.resolve("models").resolve("QuantFactory").resolve("SmolLM2-135M-Instruct___GGUF")
                    .resolve(SmolLm2Gguf.FILE);
            assertThat(model.path()).isEqualTo(expected);
            assertThat(Files.mismatch(expected, SmolLm2Gguf.path())).isEqualTo(-1);

            DownloadedModel offline = new ModelHub(settings.withOffline(true)).download(request,
                    new DownloadProgress(REPO));
            assertThat(offline.path()).isEqualTo(expected);
            assertThat(offline.fromCacheOnly()).isTrue();

            ModelSpec missing = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"),
                    Map.of("modelscope", new ModelSource("nobody/nothing", "x.gguf", null)), null);
            assertThatThrownBy(() -> new ModelHub(settings).prepare(HubRequest.of(missing, "Q4_1", "modelscope")))
                    .isInstanceOf(HubException.class).hasMessageContaining("nobody/nothing");
        }
    }
}
