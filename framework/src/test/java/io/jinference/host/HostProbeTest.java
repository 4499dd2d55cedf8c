package io.jinference.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.HostProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class HostProbeTest {

    @Test
    void probesThisMachine() {
        HostProfile host = HostProbe.probe();
        assertThat(host.probed()).isTrue();
        assertThat(host.os()).isIn("linux", "macos", "windows");
        assertThat(host.arch()).isIn("x86_64", "aarch64");
        assertThat(host.cpuCores()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(host.memoryBytes()).isGreaterThan(Runtime.getRuntime().maxMemory() / 4);
        assertThat(HostProbe.INTERESTING_FEATURES).containsAll(host.cpuFeatures());
        assertThat(host.appleSilicon()).isEqualTo(host.os().equals("macos") && host.arch().equals("aarch64"));
        assertThat(host.gpus()).allSatisfy(gpu -> assertThat(gpu.kind()).isEqualTo("cuda"));
        assertThat(host.deviceKinds()).contains("cpu");
    }

    @ParameterizedTest
    @CsvSource({"Linux, linux", "Mac OS X, macos", "Windows 11, windows", "Windows Server 2022, windows"})
    void normalisesOperatingSystems(String osName, String expected) {
        assertThat(HostProbe.normaliseOs(osName)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"amd64, x86_64", "x86_64, x86_64", "arm64, aarch64", "aarch64, aarch64"})
    void normalisesArchitectures(String osArch, String expected) {
        assertThat(HostProbe.normaliseArch(osArch)).isEqualTo(expected);
    }

    @Test
    void readsMemTotalInBytes() {
        assertThat(HostProbe.parseMemTotal("MemTotal:       24576000 kB\nMemFree:  100 kB\n")).isEqualTo(24576000L * 1024);
        assertThat(HostProbe.parseMemTotal("nothing here")).isEqualTo(-1);
    }

    @Test
    void picksInterestingCpuFlagsOnX86AndNeonOnArm() {
        String x86 = "processor\t: 0\nflags\t\t: fpu vme sse sse2 avx f16c avx2 fma bmi2 avx512f avx512bw\nprocessor\t: 1\n";
        assertThat(HostProbe.parseCpuFeatures(x86)).containsExactly("avx", "avx2", "avx512f", "fma", "f16c");
        String arm = "processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n";
        assertThat(HostProbe.parseCpuFeatures(arm)).containsExactly("neon");
    }
}
