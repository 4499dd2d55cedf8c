package io.jinference.launcher;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code llama-server} the server-backend and pass-through tests run against, named by the environment
 * variable {@value #VARIABLE} (a runtime built by {@code jinf runtimes install llama.cpp}, a Homebrew or CUDA build).
 * Surefire hands it to the tests as the system property {@value #PROPERTY} and blanks the variable itself, so that the
 * other server tests keep the in-JVM backend. Without it the tests are skipped with this message, except on CI
 * ({@code CI=true}), where they fail.
 */
final class LlamaServerBinary {
    static final String VARIABLE = "JINFERENCE_LLAMA_SERVER";
    static final String PROPERTY = "jinference.test.llamaServer";

    private LlamaServerBinary() {
    }

    static Path require() {
        String configured = System.getProperty(PROPERTY, "");
        if (configured.startsWith("${")) {
            configured = null; // Maven left ${env.JINFERENCE_LLAMA_SERVER} as it was: the variable is unset
        }
        Path binary = configured == null || configured.isBlank() ? null : Path.of(configured);
        if (binary == null || !Files.isExecutable(binary)) {
            String why = VARIABLE + " must name an executable llama-server (e.g. the one `jinf runtimes install "
                    + "llama.cpp` builds); it is " + (configured == null ? "unset" : "'" + configured + "'");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return binary;
    }
}
