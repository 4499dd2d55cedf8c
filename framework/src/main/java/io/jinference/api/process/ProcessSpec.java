package io.jinference.api.process;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to start and how to tell that it serves.
 *
 * @param name a short name for logs and threads, usually the model UID (letters, digits, {@code .-_})
 * @param command the program and its arguments
 * @param environment variables added to the host's environment (e.g. {@code CUDA_VISIBLE_DEVICES})
 * @param workDir the child's working folder
 * @param healthUrl polled until it answers 2xx (ready) and then periodically (alive); 503 means "warming up"
 * @param startupTimeout how long the child may take to become ready
 * @param livenessInterval how often a ready child's health URL is checked
 * @param maxRestarts how many times a child that died is started again (0 = never)
 * @param restartBackoff the wait before the first restart; it doubles with each further restart
 */
public record ProcessSpec(String name, List<String> command, Map<String, String> environment, Path workDir,
        URI healthUrl, Duration startupTimeout, Duration livenessInterval, int maxRestarts, Duration restartBackoff) {

    public ProcessSpec {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("Process name may hold only letters, digits, '.', '-' and '_': " + name);
        }
        command = List.copyOf(command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("A process needs a command");
        }
        environment = environment == null ? Map.of() : Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(healthUrl, "healthUrl");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(livenessInterval, "livenessInterval");
        Objects.requireNonNull(restartBackoff, "restartBackoff");
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative");
        }
    }
}
