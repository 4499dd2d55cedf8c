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
 * included; nvidia-smi ships with every NVIDIA driver and answers the same four facts. No driver, no tool: no GPUs.
 */
final class NvidiaSmi {
    private static final long TIMEOUT_SECONDS = 10;

    private NvidiaSmi() {
    }

    static List<GpuDevice> gpus() {
        // compute_cap is unknown to drivers older than 510; ask again without it rather than report no GPU
        List<String> lines = run("index,name,memory.total,compute_cap");
        if (lines == null) {
            lines = run("index,name,memory.total");
        }
        return lines == null ? List.of() : parse(lines);
    }

    /** Parses {@code --format=csv,noheader,nounits} lines: index, name, memory in MiB[, compute capability]. */
    static List<GpuDevice> parse(List<String> lines) {
        List<GpuDevice> gpus = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split(",");
            if (fields.length < 3) {
                continue;
            }
            try {
                int index = Integer.parseInt(fields[0].trim());
                long memoryBytes = Long.parseLong(fields[2].trim().replaceAll("[^0-9]", "")) * 1024L * 1024L;
                String capability = fields.length > 3 ? fields[3].trim() : null;
                gpus.add(new GpuDevice(index, "cuda", fields[1].trim(), memoryBytes,
                        capability == null || capability.isEmpty() || capability.startsWith("[") ? null : capability));
            } catch (NumberFormatException e) {
                // a line we do not understand (a driver warning) is not a GPU
            }
        }
        return gpus;
    }

    /** The tool's output lines, or null when it is absent, fails or hangs. */
    private static List<String> run(String query) {
        ProcessBuilder builder = new ProcessBuilder("nvidia-smi", "--query-gpu=" + query, "--format=csv,noheader,nounits")
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
