package io.jinference.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.HostProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class HostProfilesTest {

    @Test
    void presetsDescribeTheHostsTheirNamesSay() {
        assertThat(HostProfiles.presetNames()).containsExactly("linux-x86_64-cpu", "linux-x86_64-cuda",
                "linux-x86_64-cuda-x4", "linux-x86_64-h200", "macos-arm64", "windows-x86_64-cpu");
        HostProfile cuda = HostProfiles.preset("linux-x86_64-cuda").orElseThrow();
        assertThat(cuda.gpuCount("cuda")).isEqualTo(1);
        assertThat(cuda.gpus().get(0).memoryBytes()).isEqualTo(80L * 1024 * 1024 * 1024);
        assertThat(cuda.gpus().get(0).computeCapability()).isEqualTo("8.0");
        assertThat(HostProfiles.preset("linux-x86_64-cuda-x4").orElseThrow().gpuCount("cuda")).isEqualTo(4);
        HostProfile mac = HostProfiles.preset("macos-arm64").orElseThrow();
        assertThat(mac.appleSilicon()).isTrue();
        assertThat(mac.deviceKinds()).containsExactly("cpu", "mps");
        assertThat(HostProfiles.preset("windows-x86_64-cpu").orElseThrow().os()).isEqualTo("windows");
        assertThat(HostProfiles.presetNames()).allSatisfy(name ->
                assertThat(HostProfiles.preset(name).orElseThrow().probed()).as(name).isFalse());
    }

    @Test
    void describesHostsForExplanations() {
        assertThat(HostProfiles.describe(HostProfiles.preset("linux-x86_64-cuda").orElseThrow()))
                .isEqualTo("linux/x86_64 with 1 CUDA device");
        assertThat(HostProfiles.describe(HostProfiles.preset("linux-x86_64-cuda-x4").orElseThrow()))
                .isEqualTo("linux/x86_64 with 4 CUDA devices");
        assertThat(HostProfiles.describe(HostProfiles.preset("macos-arm64").orElseThrow()))
                .isEqualTo("macos/aarch64 (Apple silicon)");
        assertThat(HostProfiles.describe(HostProfiles.preset("linux-x86_64-cpu").orElseThrow()))
                .isEqualTo("linux/x86_64, CPU only");
    }

    @Test
    void resolvesPresetsInlineJsonFilesAndProbe(@TempDir Path dir) throws Exception {
        assertThat(HostProfiles.resolve("macos-arm64")).isEqualTo(HostProfiles.preset("macos-arm64").orElseThrow());
        assertThat(HostProfiles.resolve(null).probed()).isTrue();
        assertThat(HostProfiles.resolve("probe").probed()).isTrue();

        String json = "{\"os\":\"Linux\",\"arch\":\"amd64\",\"cpu_cores\":8,\"gpus\":[{\"name\":\"NVIDIA H100\","
                + "\"memory_bytes\":85899345920,\"compute_capability\":\"9.0\"},{\"name\":\"NVIDIA H100\"}]}";
        HostProfile inline = HostProfiles.resolve(json);
        assertThat(inline.os()).isEqualTo("linux");
        assertThat(inline.arch()).isEqualTo("x86_64");
        assertThat(inline.probed()).isFalse();
        assertThat(inline.gpuCount("cuda")).isEqualTo(2);
        assertThat(inline.gpus().get(1).index()).isEqualTo(1);

        Path file = dir.resolve("host.json");
        Files.writeString(file, json);
        assertThat(HostProfiles.resolve(file.toString())).isEqualTo(inline);
    }

    @Test
    void toMapRoundTripsThroughParse() throws Exception {
        HostProfile cuda = HostProfiles.preset("linux-x86_64-cuda-x4").orElseThrow();
        String json = new ObjectMapper().writeValueAsString(HostProfiles.toMap(cuda));
        assertThat(HostProfiles.parse(json)).isEqualTo(cuda);
    }

    @Test
    void rejectsWhatIsNoProfileWithAHelpfulMessage() {
        assertThatThrownBy(() -> HostProfiles.resolve("linux-riscv")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown host profile 'linux-riscv'").hasMessageContaining("macos-arm64");
        assertThatThrownBy(() -> HostProfiles.resolve("{\"os\": 1}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"os\" and \"arch\"");
        assertThatThrownBy(() -> HostProfiles.resolve("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not valid JSON");
    }
}
