package io.jinference.testing;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import io.jinference.template.ChatTemplateRenderer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An {@link EngineContext} for engine tests without the launcher: a home folder, this machine's core count, and
 * the host's real Jinja renderer ({@link ChatTemplateRenderer}), as the model manager lends them to engines.
 */
public final class RenderingEngineContext implements EngineContext {

    private static final ChatTemplateRenderer RENDERER = new ChatTemplateRenderer();

    private final Path home;

    public RenderingEngineContext(Path home) {
        this.home = home;
    }

    @Override
    public Path home() {
        return home;
    }

    @Override
    public Path workDir() {
        return home;
    }

    @Override
    public HostProfile host() {
        return new HostProfile("linux", "x86_64", Runtime.getRuntime().availableProcessors(), 0, List.of(), List.of(),
                false, false);
    }

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        return RENDERER.render(template, messages, variables);
    }
}
