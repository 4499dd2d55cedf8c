package io.jinference.engine.transformers;

import com.hubspot.jinjava.Jinjava;
import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An EngineContext for tests that renders chat templates with Jinjava, as the host does. */
record JinjavaContext(Path home) implements EngineContext {
    @Override
    public Path workDir() {
        return home;
    }

    @Override
    public HostProfile host() {
        return new HostProfile("linux", "x86_64", Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory(), List.of(), List.of(), false, true);
    }

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        Map<String, Object> context = new HashMap<>(variables);
        context.put("messages", messages.stream().map(m -> Map.of("role", m.role(), "content", m.content())).toList());
        return new Jinjava().render(template, context);
    }
}
