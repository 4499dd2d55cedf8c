package io.jinference.engine.llamacpp;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.Pair;
import io.jinference.api.ChatMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * llama.cpp's own chat formatting of a GGUF's template, as llama-server b4916 applies it (its built-in template
 * implementations, not Jinja). java-llama.cpp can pass it an optional leading system message followed by user and
 * assistant messages; other conversations are not expressible and get {@link Optional#empty()}.
 */
final class NativeChatFormat {

    private final LlamaModel model;

    NativeChatFormat(LlamaModel model) {
        this.model = model;
    }

    Optional<String> format(List<ChatMessage> messages) {
        String system = null;
        List<Pair<String, String>> turns = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            String content = message.content() == null ? "" : message.content();
            if (i == 0 && "system".equals(message.role()) && !content.isEmpty()) {
                system = content;
            } else if ("user".equals(message.role()) || "assistant".equals(message.role())) {
                turns.add(new Pair<>(message.role(), content));
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(model.applyTemplate(new InferenceParameters("").setMessages(system, turns)));
    }
}
