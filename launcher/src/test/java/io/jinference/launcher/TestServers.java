package io.jinference.launcher;

import io.jinference.template.ChatTemplateRenderer;
import java.nio.file.Path;

/** Starts a real server (Felix with the distribution's bundles, Javalin on a free port) in a fresh home. */
final class TestServers {
    private TestServers() {
    }

    static JinferenceServer start(Path home) {
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        return JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render);
    }
}
