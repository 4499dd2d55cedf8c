package io.jinference.tck;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import io.jinference.template.ChatTemplateRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The context a conformance run lends the engine: fresh temporary home and work folders, the host under test, and
 * the host's own Jinja chat template renderer.
 */
final class TckEngineContext implements EngineContext {

    private static final ChatTemplateRenderer RENDERER = new ChatTemplateRenderer();

    private final Path home;
    private final Path workDir;
    private final HostProfile host;

    TckEngineContext(HostProfile host) {
        try {
            this.home = Files.createTempDirectory("jinference-tck-home");
            this.workDir = Files.createDirectories(home.resolve("work"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.host = host;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public HostProfile host() {
        return host;
    }

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        return RENDERER.render(template, messages, variables);
    }
}
