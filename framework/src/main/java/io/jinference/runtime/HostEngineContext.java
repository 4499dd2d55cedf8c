package io.jinference.runtime;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import io.jinference.api.process.ProcessLauncher;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The {@link EngineContext} the model manager hands to an engine for one model; {@code processes} starts the
 * model's supervised engine servers.
 */
record HostEngineContext(Path home, Path workDir, HostProfile host, ChatTemplateRendering templates,
        ProcessLauncher processes) implements EngineContext {

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        return templates.render(template, messages, variables);
    }
}
