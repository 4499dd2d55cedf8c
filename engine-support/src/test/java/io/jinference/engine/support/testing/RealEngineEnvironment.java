package io.jinference.engine.support.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the real engine runtimes and tiny models made by {@code scripts/e2e-managed-engines.sh} live:
 * {@code ${jinference.cache:-~/.cache/jinference}/venvs/<venv>/bin/python} and {@code .../models/<model>}.
 * Tests on real engines skip, naming what is missing and the script that makes it, when they are absent.
 */
public final class RealEngineEnvironment {
    private RealEngineEnvironment() {
    }

    /** The switch scripts/e2e-managed-engines.sh sets: real engines start slowly, so ordinary builds skip them. */
    public static final String SWITCH = "jinference.e2e";

    /** Skips the calling test unless {@code -Djinference.e2e=managed-engines} was given. */
    public static void assumeRequested() {
        assumeTrue("managed-engines".equals(System.getProperty(SWITCH)),
                "Real engine servers start slowly: run scripts/e2e-managed-engines.sh (sets -D" + SWITCH
                        + "=managed-engines)");
    }

    public static Path cache() {
        String configured = System.getProperty("jinference.cache");
        if (configured == null || configured.isBlank() || configured.startsWith("${")) {
            configured = System.getenv("JINFERENCE_CACHE");
        }
        return configured == null || configured.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache", "jinference") : Path.of(configured);
    }

    public static Optional<Path> python(String venv) {
        Path python = cache().resolve("venvs").resolve(venv).resolve("bin/python");
        return Files.isExecutable(python) ? Optional.of(python) : Optional.empty();
    }

    public static Optional<Path> model(String name) {
        Path model = cache().resolve("models").resolve(name);
        return Files.isDirectory(model) ? Optional.of(model) : Optional.empty();
    }

    public static String missing(String what) {
        return what + " is missing under " + cache() + ": run scripts/e2e-managed-engines.sh";
    }
}
