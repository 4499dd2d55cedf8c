package io.jinference.engine.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Where the Python of an engine lives: a configured interpreter (system property {@code jinference.python.<engine>}
 * or environment variable {@code JINFERENCE_PYTHON_<ENGINE>}), else the virtual environment Jinference creates under
 * {@code <home>/runtimes/<engine>} ({@code jinf runtimes install <engine>}).
 *
 * @param python the interpreter
 * @param origin how it was found, for explanations
 */
public record PythonRuntime(Path python, String origin) {

    /** The Jinference home: {@code jinference.home}, {@code $JINFERENCE_HOME}, or {@code ~/.jinference}. */
    public static Path home() {
        String configured = System.getProperty("jinference.home", System.getenv("JINFERENCE_HOME"));
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".jinference");
    }

    /** The managed environment's folder for an engine. */
    public static Path managedVenv(String engine) {
        return home().resolve("runtimes").resolve(engine);
    }

    public static Optional<PythonRuntime> locate(String engine) {
        String property = "jinference.python." + engine;
        String variable = "JINFERENCE_PYTHON_" + engine.toUpperCase(Locale.ROOT).replace('-', '_');
        String configured = System.getProperty(property);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new PythonRuntime(Path.of(configured), "configured by " + property));
        }
        configured = System.getenv(variable);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(new PythonRuntime(Path.of(configured), "configured by " + variable));
        }
        Path managed = managedVenv(engine).resolve("bin/python");
        return Files.isExecutable(managed) ? Optional.of(new PythonRuntime(managed, "Jinference environment "
                + managedVenv(engine))) : Optional.empty();
    }

    /** The installed versions of the given distributions (absent ones are left out); empty if Python fails. */
    public Map<String, String> installedVersions(List<String> distributions) {
        String script = "import importlib.metadata as m, sys\n"
                + "for name in sys.argv[1:]:\n"
                + "    try: print(name, m.version(name))\n"
                + "    except m.PackageNotFoundError: pass\n";
        List<String> command = new java.util.ArrayList<>(List.of(python.toString(), "-c", script));
        command.addAll(distributions);
        Map<String, String> versions = new LinkedHashMap<>();
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                return Map.of();
            }
            for (String line : output.split("\n")) {
                String[] parts = line.trim().split(" ");
                if (parts.length == 2 && distributions.contains(parts[0])) {
                    versions.put(parts[0], parts[1]);
                }
            }
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
        return versions;
    }

    /** A program installed beside the interpreter (e.g. {@code vllm}, {@code mlx_lm.server}). */
    public Path script(String name) {
        return python.resolveSibling(name);
    }
}
