package io.jinference.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPU detection. This machine has no GPU, so each test stands in for one: the lines are those nvidia-smi printed on
 * the NVIDIA H200 host ({@code 0, NVIDIA H200, 143771, 9.0} for index, name, memory.total, compute_cap; memory.free
 * added by this project's query), and a stand-in {@code nvidia-smi} script prints them where a process is needed.
 */
final class NvidiaSmiTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path dir;

    @AfterEach
    void forgetTheStandIn() {
        System.clearProperty(NvidiaSmi.PROPERTY);
    }

    @Test
    void theH200LineStandingInForTheGpuIsParsed() {
        List<GpuStatus> gpus = NvidiaSmi.parse(List.of("0, NVIDIA H200, 143771, 143180, 9.0"), true);

        assertThat(gpus).containsExactly(new GpuStatus(0, "cuda", "NVIDIA H200", 143771 * MIB, 143180 * MIB, "9.0",
                true));
        assertThat(gpus.get(0).memoryUsedBytes()).isEqualTo(591 * MIB);
    }

    @Test
    void twoGpusStandingInForATwoH200HostAndADriverWarningBetweenThem() {
        List<GpuStatus> gpus = NvidiaSmi.parse(List.of(
                "0, NVIDIA H200, 143771, 100000, 9.0",
                "WARNING: infoROM is corrupted at gpu 0000:00:04.0",
                "1, NVIDIA H200, 143771, 143180, 9.0"), true);

        assertThat(gpus).extracting(GpuStatus::index).containsExactly(0, 1);
        assertThat(gpus).extracting(GpuStatus::memoryFreeBytes).containsExactly(100000 * MIB, 143180 * MIB);
    }

    @Test
    void aDriverWithoutComputeCapabilityStandingInForAnOldGpuIsParsedWithoutIt() {
        assertThat(NvidiaSmi.parse(List.of("0, Tesla K80, 11441, 11000"), false)).containsExactly(
                new GpuStatus(0, "cuda", "Tesla K80", 11441 * MIB, 11000 * MIB, null, true));
        assertThat(NvidiaSmi.parse(List.of("0, NVIDIA H200, 143771, [N/A], 9.0"), true)).as("no number, no GPU")
                .isEmpty();
    }

    @Test
    void theProbeAndTheMonitorAskTheToolStandingInForTheH200Driver() throws Exception {
        Path standIn = standInNvidiaSmi(dir, "0, NVIDIA H200, 143771, 143180, 9.0");
        System.setProperty(NvidiaSmi.PROPERTY, standIn.toString());

        HostProfile host = HostProbe.probe();

        assertThat(host.gpus()).containsExactly(new GpuDevice(0, "cuda", "NVIDIA H200", 143771 * MIB, "9.0"));
        assertThat(HostProfiles.describe(host)).endsWith(" with 1 CUDA device");
        Files.writeString(dir.resolve("answer"), "0, NVIDIA H200, 143771, 120000, 9.0\n");
        assertThat(GpuMonitor.of(host).read()).extracting(GpuStatus::memoryFreeBytes)
                .as("each read asks the tool again").containsExactly(120000 * MIB);
    }

    @Test
    void aGivenProfileReportsItsGpusAsFreeAndNotMeasured() {
        List<GpuStatus> gpus = GpuMonitor.of(HostProfiles.resolve("linux-x86_64-cuda")).read();

        assertThat(gpus).singleElement().satisfies(gpu -> {
            assertThat(gpu.measured()).isFalse();
            assertThat(gpu.memoryFreeBytes()).isEqualTo(gpu.memoryTotalBytes());
        });
        assertThat(GpuMonitor.of(HostProfiles.resolve("linux-x86_64-cpu")).read()).isEmpty();
    }

    /**
     * Writes a stand-in for nvidia-smi (there is no NVIDIA driver here) that prints the file {@code answer} beside it,
     * first holding {@code lines}, for any query that includes memory.free.
     */
    static Path standInNvidiaSmi(Path dir, String... lines) throws Exception {
        Files.writeString(dir.resolve("answer"), String.join("\n", lines) + "\n");
        Path script = dir.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\n# stands in for nvidia-smi on a host with NVIDIA H200 GPUs\n"
                + "case \"$1\" in --query-gpu=index,name,memory.total,memory.free*) cat \"$(dirname \"$0\")/answer\";;"
                + " *) echo \"unexpected arguments: $*\" >&2; exit 2;; esac\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
