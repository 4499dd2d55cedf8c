package io.jinference.host;

import io.jinference.api.GpuDevice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * CUDA GPUs as {@code nvidia-smi} reports them. NVML through JavaCPP's CUDA presets ({@code org.bytedeco:cuda}) was the
 * other option, but its platform jars bring hundreds of megabytes of CUDA natives to every install, CPU-only hosts
 * included; nvidia-smi ships with every NVIDIA driver and answers the same facts. No driver, no tool: no GPUs.
 *
 * <p>The tool is {@code nvidia-smi} on the PATH, or the program named by the system property {@value #PROPERTY} or
 * the environment variable {@value #VARIABLE} (a driver installed off the PATH; tests name a stand-in there).
 */
final class NvidiaSmi {
    static final String PROPERTY = "jinference.nvidia-smi";
    static final String VARIABLE = "JINFERENCE_NVIDIA_SMI";
    static final String QUERY = "index,name,memory.total,memory.free,compute_cap";
    /** compute_cap is unknown to drivers older than 510: asked again without it rather than report no GPU. */
    static final String QUERY_WITHOUT_CAPABILITY = "index,name,memory.total,memory.free";
    private static final long TIMEOUT_SECONDS = 10;
    private static final long MIB = 1024L * 1024L;

    private NvidiaSmi() {
    }

    static List<GpuDevice> gpus() {
        return status().stream().map(gpu -> new GpuDevice(gpu.index(), gpu.kind(), gpu.name(), gpu.memoryTotalBytes(),
                gpu.computeCapability())).toList();
    }

    /** Every GPU with its memory now; empty when there is no tool, no GPU or no answer. */
    static List<GpuStatus> status() {
        List<String> lines = run(QUERY);
        if (lines != null) {
            return parse(lines, true);
        }
        lines = run(QUERY_WITHOUT_CAPABILITY);
        return lines == null ? List.of() : parse(lines, false);
    }

    /**
     * Parses {@code --format=csv,noheader,nounits} lines of {@link #QUERY} (or, without {@code withCapability}, of
     * {@link #QUERY_WITHOUT_CAPABILITY}): index, name, total and free memory in MiB[, compute capability].
     */
    static List<GpuStatus> parse(List<String> lines, boolean withCapability) {
        List<GpuStatus> gpus = new ArrayList<>();
        int fields = withCapability ? 5 : 4;
        for (String line : lines) {
            // a product name has no comma, so the fields split cleanly; anything else is a driver warning, not a GPU
            String[] values = line.split(",");
            if (values.length != fields) {
                continue;
            }
            try {
                int index = Integer.parseInt(values[0].trim());
                long total = mebibytes(values[2]);
                long free = mebibytes(values[3]);
                String capability = withCapability ? values[4].trim() : null;
                gpus.add(new GpuStatus(index, "cuda", values[1].trim(), total, free,
                        capability == null || !capability.matches("[0-9]+\\.[0-9]+") ? null : capability, true));
            } catch (NumberFormatException e) {
                // a line we do not understand is not a GPU
            }
        }
        return gpus;
    }

    private static long mebibytes(String value) {
        return Long.parseLong(value.trim()) * MIB;
    }

    static String tool() {
        String configured = System.getProperty(PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(VARIABLE);
        }
        return configured == null || configured.isBlank() ? "nvidia-smi" : configured.trim();
    }

    /** The tool's output lines, or null when it is absent, fails or hangs. */
    private static List<String> run(String query) {
        ProcessBuilder builder = new ProcessBuilder(tool(), "--query-gpu=" + query, "--format=csv,noheader,nounits")
                .redirectErrorStream(true);
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // the answer is a few lines, far below the pipe buffer, so waiting before reading cannot deadlock
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return null;
            }
            byte[] output = process.getInputStream().readAllBytes();
            return process.exitValue() == 0 ? new String(output, StandardCharsets.UTF_8).lines().toList() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
