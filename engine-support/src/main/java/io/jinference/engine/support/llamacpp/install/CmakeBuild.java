package io.jinference.engine.support.llamacpp.install;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Configures and builds {@code llama-server} with cmake and Ninja. The flags leave out tests, examples, libcurl and
 * the prebuilt web UI (which would be downloaded); the build number is stamped into the binary. A build folder that
 * was configured with the same flags is not configured again, so a second install is a Ninja no-op.
 */
final class CmakeBuild {
    static final String TARGET = "llama-server";
    private static final Pattern NINJA_STEP = Pattern.compile("^\\[(\\d+)/(\\d+)]\\s*(.*)$");
    private static final int TAIL_LINES = 30;

    private final Consumer<String> progress;

    CmakeBuild(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * On x86-64, ggml's CPU backend is compiled with {@code -march=native}, which on a CPU with Intel AMX (Sapphire
     * Rapids and later) turns on ggml's AMX matrix kernels. In b11434 those execute tile instructions on worker
     * threads that never asked the kernel for AMX state, and llama-server dies with SIGILL on its first matrix
     * multiplication (seen on this project's 2-core build machine, an AMX Xeon; upstream: ggml-org/llama.cpp pull
     * request 26954). These compiler flags leave those kernels out and keep every other native instruction set.
     */
    static final List<String> X86_WITHOUT_AMX = List.of(
            "-DCMAKE_C_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16",
            "-DCMAKE_CXX_FLAGS=-mno-amx-tile -mno-amx-int8 -mno-amx-bf16");

    /** The configure flags for a build number, the host's CPU architecture and the backend's own flags. */
    static List<String> flags(int build, String cpuArch, List<String> backendFlags) {
        List<String> flags = new ArrayList<>(List.of("-DCMAKE_BUILD_TYPE=Release", "-DLLAMA_BUILD_TESTS=OFF",
                "-DLLAMA_BUILD_EXAMPLES=OFF", "-DLLAMA_USE_PREBUILT_UI=OFF", "-DLLAMA_BUILD_NUMBER=" + build,
                "-DLLAMA_CURL=OFF"));
        if (cpuArch.equals("amd64") || cpuArch.equals("x86_64")) {
            flags.addAll(X86_WITHOUT_AMX);
        }
        flags.addAll(backendFlags);
        return flags;
    }

    static List<String> configureCommand(Path source, Path buildDir, List<String> flags) {
        List<String> command = new ArrayList<>(List.of("cmake", "-S", source.toString(), "-B", buildDir.toString(),
                "-G", "Ninja"));
        command.addAll(flags);
        return command;
    }

    static List<String> buildCommand(Path buildDir, int jobs) {
        return List.of("cmake", "--build", buildDir.toString(), "--target", TARGET, "-j", Integer.toString(jobs));
    }

    /**
     * Whether {@code buildDir} was configured with every one of {@code flags} (read from its CMakeCache.txt, whose
     * lines are {@code NAME:TYPE=VALUE}) for Ninja.
     */
    static boolean configuredWith(Path buildDir, List<String> flags) throws IOException {
        Path cache = buildDir.resolve("CMakeCache.txt");
        if (!Files.isRegularFile(cache) || !Files.isRegularFile(buildDir.resolve("build.ninja"))) {
            return false;
        }
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(cache, StandardCharsets.UTF_8)) {
            int colon = line.indexOf(':');
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && !line.startsWith("//") && colon > 0 && equals > colon) {
                values.put(line.substring(0, colon), line.substring(equals + 1));
            }
        }
        for (String flag : flags) {
            String[] nameAndValue = flag.substring(2).split("=", 2);
            if (!nameAndValue[1].equals(values.get(nameAndValue[0]))) {
                return false;
            }
        }
        return "Ninja".equals(values.get("CMAKE_GENERATOR"));
    }

    void configure(Path source, Path buildDir, List<String> flags) throws IOException {
        if (configuredWith(buildDir, flags)) {
            progress.accept("== " + buildDir + " is configured with these flags already");
            return;
        }
        progress.accept("== Configuring: " + String.join(" ", configureCommand(source, buildDir, flags)));
        run(configureCommand(source, buildDir, flags), progress);
    }

    void build(Path buildDir, int jobs) throws IOException {
        List<String> command = buildCommand(buildDir, jobs);
        progress.accept("== Building " + TARGET + ": " + String.join(" ", command)
                + " (about 20 minutes on 2 cores the first time)");
        run(command, line -> step(line).ifPresentOrElse(progress,
                () -> {
                    if (line.contains("error") || line.contains("no work to do")) {
                        progress.accept(line);
                    }
                }));
    }

    /** {@code [37/214] Building CXX object …} → {@code Building llama-server: 37/214 (17%) Building CXX object …} */
    static java.util.Optional<String> step(String line) {
        Matcher step = NINJA_STEP.matcher(line);
        if (!step.matches()) {
            return java.util.Optional.empty();
        }
        int done = Integer.parseInt(step.group(1));
        int total = Integer.parseInt(step.group(2));
        return java.util.Optional.of(String.format("Building %s: %d/%d (%d%%) %s", TARGET, done, total,
                total == 0 ? 100 : done * 100 / total, step.group(3)));
    }

    /** Runs a command, handing each output line on; a failure carries its last lines. */
    private static void run(List<String> command, Consumer<String> lines) throws IOException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(command.get(0) + " cannot be started (is it installed? cmake and ninja-build are"
                    + " needed): " + e.getMessage());
        }
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.accept(line);
                tail.addLast(line);
                if (tail.size() > TAIL_LINES) {
                    tail.removeFirst();
                }
            }
        }
        try {
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed (exit code " + process.exitValue()
                        + "):\n" + String.join("\n", tail));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " was interrupted");
        }
    }
}
