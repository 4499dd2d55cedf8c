package io.jinference.launcher;

import java.nio.file.Path;

/** The Jinference home folder: {@code --home}, else {@code $JINFERENCE_HOME}, else {@code ~/.jinference}. */
public final class JinferenceHome {
    private JinferenceHome() {
    }

    public static Path resolve(Path option) {
        if (option != null) {
            return option.toAbsolutePath();
        }
        String env = System.getenv("JINFERENCE_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        return Path.of(System.getProperty("user.home"), ".jinference");
    }
}
