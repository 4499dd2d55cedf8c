package io.jinference.runtime;

import io.jinference.api.ChatMessage;
import java.util.List;
import java.util.Map;

/** The host's Jinja renderer as the model manager lends it to engines (see {@code EngineContext#renderChatTemplate}). */
@FunctionalInterface
public interface ChatTemplateRendering {
    String render(String template, List<ChatMessage> messages, Map<String, Object> variables);
}
