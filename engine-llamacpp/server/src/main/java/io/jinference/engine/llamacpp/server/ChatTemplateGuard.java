package io.jinference.engine.llamacpp.server;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import java.util.List;
import java.util.Map;

/**
 * llama-server renders the GGUF's chat template itself (its {@code --jinja} minja) while it loads, with no time
 * limit: a template that loops for ever would keep the launch waiting until its timeout and a core busy. So the
 * template is first rendered by the host's renderer, which stops at its time limit, and a template that runs past it
 * is refused before llama-server starts. Other render failures are left to llama-server, whose Jinja dialect differs.
 */
final class ChatTemplateGuard {
    private static final List<ChatMessage> PROBE = List.of(new ChatMessage("system", "S1"),
            new ChatMessage("user", "U1"), new ChatMessage("assistant", "A1"), new ChatMessage("user", "U2"));
    /** The host renderer's time-limit message (ChatTemplateRenderer); no typed signal crosses the API. */
    private static final String TOO_SLOW = "did not finish rendering";

    private ChatTemplateGuard() {
    }

    static void requireFinishes(GgufFacts gguf, EngineContext context) {
        if (gguf.chatTemplate().isEmpty()) {
            return;
        }
        try {
            context.renderChatTemplate(gguf.chatTemplate().get(), PROBE,
                    Map.of("add_generation_prompt", true, "bos_token", "", "eos_token", ""));
        } catch (EngineException e) {
            if (e.getMessage() != null && e.getMessage().contains(TOO_SLOW)) {
                throw new EngineException(EngineException.Kind.LOAD_FAILED, "The GGUF's chat template "
                        + "(tokenizer.chat_template) does not finish: " + e.getMessage()
                        + ". llama-server would render it at load without a time limit, so it is not started", e);
            }
        }
    }
}
