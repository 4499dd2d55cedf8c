package io.jinference.engine.llamacpp;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.ModelFamily;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns chat messages into the prompt text of one model: with the chat template embedded in the GGUF
 * ({@code tokenizer.chat_template}), else the model family's template, else {@link #FALLBACK_TEMPLATE}. Templates
 * are rendered by the host ({@link EngineContext#renderChatTemplate}) and the result is completed like any prompt,
 * so chat behaves the same for every template.
 */
final class ChatPrompt {

    /** Where the template came from; shown in the model's description. */
    enum Source { GGUF, FAMILY, FALLBACK }

    /**
     * For models without any template: one {@code role: content} line per message, then {@code assistant:}.
     * Plain text that any model can continue; chat models should ship a real template.
     */
    static final String FALLBACK_TEMPLATE = "{% for message in messages %}{{ message.role }}: {{ message.content }}\n"
            + "{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

    private final String template;
    private final Source source;
    private final String bosToken;
    private final String eosToken;
    private final boolean modelAddsBos;

    private ChatPrompt(String template, Source source, String bosToken, String eosToken, boolean modelAddsBos) {
        this.template = template;
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
        this.modelAddsBos = modelAddsBos;
    }

    static ChatPrompt of(GgufHeader header, ModelFamily family) {
        String bos = header.tokenText("tokenizer.ggml.bos_token_id").orElse("");
        String eos = header.tokenText("tokenizer.ggml.eos_token_id").orElse("");
        // llama.cpp prepends BOS itself when the vocabulary asks for it (SentencePiece vocabularies by default)
        boolean addsBos = header.bool("tokenizer.ggml.add_bos_token")
                .orElse("llama".equals(header.string("tokenizer.ggml.model").orElse("")));
        if (header.chatTemplate().isPresent()) {
            return new ChatPrompt(header.chatTemplate().get(), Source.GGUF, bos, eos, addsBos);
        }
        if (family != null && family.chatTemplate() != null && !family.chatTemplate().isBlank()) {
            return new ChatPrompt(family.chatTemplate(), Source.FAMILY, bos, eos, addsBos);
        }
        return new ChatPrompt(FALLBACK_TEMPLATE, Source.FALLBACK, bos, eos, addsBos);
    }

    Source source() {
        return source;
    }

    String render(List<ChatMessage> messages, EngineContext context) {
        Map<String, Object> variables = new HashMap<>();
        variables.put("add_generation_prompt", true);
        variables.put("bos_token", bosToken);
        variables.put("eos_token", eosToken);
        String prompt = context.renderChatTemplate(template, messages, variables);
        // templates that write bos_token themselves would otherwise give the model two BOS tokens
        if (modelAddsBos && !bosToken.isEmpty() && prompt.startsWith(bosToken)) {
            return prompt.substring(bosToken.length());
        }
        return prompt;
    }
}
