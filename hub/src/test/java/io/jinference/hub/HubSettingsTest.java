package io.jinference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The environment variables huggingface_hub and modelscope read mean the same to Jinference. */
class HubSettingsTest {
    @TempDir
    Path home;

    @Test
    void defaultsAreHuggingFaceHubs() {
        HubSettings settings = HubSettings.fromEnvironment(Map.of(), home);
        assertThat(settings.hfCache()).isEqualTo(home.resolve(".cache/huggingface/hub"));
        assertThat(settings.hfEndpoint()).isEqualTo(URI.create("https://huggingface.co"));
        assertThat(settings.offline()).isFalse();
        assertThat(settings.hfToken()).isNull();
        assertThat(settings.modelScopeCache()).isEqualTo(home.resolve(".cache/modelscope/hub"));
        assertThat(settings.preferredHub()).isEqualTo("huggingface");
    }

    @Test
    void hfHomeHubCacheEndpointTokenAndOfflineAreHonoured() throws IOException {
        Path hfHome = home.resolve("hf");
        Files.createDirectories(hfHome);
        Files.writeString(hfHome.resolve("token"), "hf_from_file\n");
        HubSettings fromHome = HubSettings.fromEnvironment(Map.of("HF_HOME", hfHome.toString(),
                "HF_ENDPOINT", "https://hf-mirror.com/", "HF_HUB_OFFLINE", "1"), home);
        assertThat(fromHome.hfCache()).isEqualTo(hfHome.resolve("hub"));
        assertThat(fromHome.hfEndpoint()).isEqualTo(URI.create("https://hf-mirror.com"));
        assertThat(fromHome.hfToken()).isEqualTo("hf_from_file");
        assertThat(fromHome.offline()).isTrue();

        HubSettings explicit = HubSettings.fromEnvironment(Map.of("HF_HOME", hfHome.toString(),
                "HF_HUB_CACHE", "/data/hub", "HF_TOKEN", "hf_env", "HF_HUB_OFFLINE", "0"), home);
        assertThat(explicit.hfCache()).isEqualTo(Path.of("/data/hub"));
        assertThat(explicit.hfToken()).isEqualTo("hf_env");
        assertThat(explicit.offline()).isFalse();
    }

    @Test
    void badValuesAreRefusedWithTheVariableName() {
        assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x"), home))
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> HubSettings.fromEnvironment(Map.of("JINFERENCE_MODEL_SRC", "ollama"), home))
                .hasMessageContaining("JINFERENCE_MODEL_SRC");
    }
}
