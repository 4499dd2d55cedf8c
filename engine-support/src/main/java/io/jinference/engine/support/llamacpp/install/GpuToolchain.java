package io.jinference.engine.support.llamacpp.install;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The backend-specific cmake flags, from what the machine has: for CUDA the {@code nvcc} compiler and the compute
 * capabilities of its GPUs ({@code nvidia-smi --query-gpu=compute_cap}: {@code 9.0} → {@code 90}), so that the build
 * compiles kernels for exactly these GPUs; for Vulkan the {@code glslc} shader compiler; Metal on macOS only.
 */
final class GpuToolchain {
    private final CommandOutput commands;
    private final String osName;

    GpuToolchain(CommandOutput commands, String osName) {
        this.commands = commands;
        this.osName = osName.toLowerCase();
    }

    /** The machine's own tools, found on its PATH, each given 60 s to answer. */
    static GpuToolchain ofThisMachine() {
        return onPath(System.getenv("PATH"), System.getProperty("os.name", ""));
    }

    /**
     * The tools found on this search path (a bare command name is looked up there, not on the JVM's own PATH), each
     * given 60 s to answer.
     */
    static GpuToolchain onPath(String searchPath, String osName) {
        return new GpuToolchain(command -> runCommand(resolve(command, searchPath)), osName);
    }

    private static List<String> resolve(List<String> command, String searchPath) {
        String program = command.get(0);
        if (program.contains("/") || searchPath == null) {
            return command;
        }
        for (String folder : searchPath.split(File.pathSeparator)) {
            Path candidate = Path.of(folder.isEmpty() ? "." : folder, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                List<String> resolved = new ArrayList<>(command);
                resolved.set(0, candidate.toString());
                return resolved;
            }
        }
        return command;
    }

    /** @throws IllegalStateException with what to install when the backend's toolchain is missing */
    List<String> flags(String backend) {
        return switch (backend) {
            case "cpu" -> List.of();
            case "cuda" -> cuda();
            case "metal" -> metal();
            case "vulkan" -> vulkan();
            default -> throw new IllegalArgumentException("Unknown backend " + backend);
        };
    }

    private List<String> cuda() {
        String nvcc = nvcc().orElseThrow(() -> new IllegalStateException("--gpu cuda needs the CUDA toolkit's nvcc:"
                + " none answers on the PATH, $CUDACXX or /usr/local/cuda/bin/nvcc; install the CUDA toolkit"));
        String capabilities = commands.run(List.of(nvidiaSmi(), "--query-gpu=compute_cap", "--format=csv,noheader"))
                .orElseThrow(() -> new IllegalStateException("--gpu cuda needs nvidia-smi to name the GPUs' compute"
                        + " capability; it is not installed or found no GPU"));
        TreeSet<String> architectures = new TreeSet<>();
        for (String line : capabilities.split("\\R")) {
            String capability = line.trim();
            if (capability.matches("[0-9]+\\.[0-9]+")) {
                architectures.add(capability.replace(".", ""));
            } else if (!capability.isEmpty()) {
                throw new IllegalStateException("nvidia-smi answered '" + capability + "' for a compute capability");
            }
        }
        if (architectures.isEmpty()) {
            throw new IllegalStateException("nvidia-smi lists no GPU, so there is nothing to build CUDA kernels for");
        }
        List<String> flags = new ArrayList<>(List.of("-DGGML_CUDA=ON",
                "-DCMAKE_CUDA_ARCHITECTURES=" + String.join(";", architectures)));
        if (!"nvcc".equals(nvcc)) {
            flags.add("-DCMAKE_CUDA_COMPILER=" + nvcc);
        }
        return flags;
    }

    /** nvidia-smi, or the program $JINFERENCE_NVIDIA_SMI names (as the server's host probe reads it). */
    private static String nvidiaSmi() {
        String configured = System.getenv("JINFERENCE_NVIDIA_SMI");
        return configured == null || configured.isBlank() ? "nvidia-smi" : configured.trim();
    }

    /** {@code nvcc} when the PATH has it, else the compiler $CUDACXX or the default toolkit folder names. */
    private Optional<String> nvcc() {
        List<String> candidates = new ArrayList<>(List.of("nvcc"));
        String configured = System.getenv("CUDACXX");
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.add("/usr/local/cuda/bin/nvcc");
        return candidates.stream().filter(candidate -> commands.run(List.of(candidate, "--version")).isPresent())
                .findFirst();
    }

    private List<String> metal() {
        if (!osName.startsWith("mac")) {
            throw new IllegalStateException("--gpu metal builds on macOS only (this is " + osName + ")");
        }
        return List.of("-DGGML_METAL=ON");
    }

    private List<String> vulkan() {
        if (commands.run(List.of("glslc", "--version")).isEmpty()) {
            throw new IllegalStateException("--gpu vulkan needs the Vulkan SDK (headers, loader and the glslc shader"
                    + " compiler); glslc does not answer on the PATH");
        }
        return List.of("-DGGML_VULKAN=ON");
    }

    private static Optional<String> runCommand(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
