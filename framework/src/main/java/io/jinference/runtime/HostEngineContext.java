package io.jinference.runtime;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.HostProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The {@link EngineContext} the model manager hands to an engine for one model. */
record HostEngineContext(Path home, Path workDir, HostProfile host, ChatTemplateRendering templates)
        implements EngineContext {

    @Override
    public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
        return templates.render(template, messages, variables);
    }
}
