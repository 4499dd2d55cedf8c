package io.jinference.engine.llamacpp;

import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.ModelFamily;
import io.jinference.api.ToolDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns chat messages into the prompt text of one model, from the chat template embedded in the GGUF
 * ({@code tokenizer.chat_template}), else the model family's template, else {@link #FALLBACK_TEMPLATE}. The prompt
 * is then completed like any other, so streaming, stop strings and usage work the same for every template.
 *
 * <p>Prompts are the ones Hugging Face transformers' {@code apply_chat_template} makes, which the host's renderer
 * reproduces byte for byte ({@link EngineContext#renderChatTemplate}), default system prompts included: SmolLM2's
 * template inserts "You are a helpful AI assistant named SmolLM, trained by Hugging Face" when the conversation has
 * no system message, as transformers and llama-server ({@code --jinja}) do. llama.cpp's own formatter (b4916, not
 * Jinja) leaves such defaults out, so it is used only where it provably renders the same: at load, both render
 * probe conversations with and without a system message, and only identical output selects llama.cpp
 * ({@link Source#GGUF_LLAMACPP}). Every other template, and every conversation llama.cpp's formatter cannot
 * express, is rendered from the Jinja source by the host.
 */
final class ChatPrompt {

    /** Where the template came from and who applies it; shown in the model's description. */
    enum Source { GGUF_LLAMACPP, GGUF, FAMILY, FALLBACK }

    /**
     * For models without any template: one {@code role: content} line per message, then {@code assistant:}.
     * Plain text that any model can continue; chat models should ship a real template.
     */
    static final String FALLBACK_TEMPLATE = "{% for message in messages %}{{ message.role }}: {{ message.content }}\n"
            + "{% endfor %}{% if add_generation_prompt %}assistant:{% endif %}";

    private static final List<ChatMessage> PROBE = List.of(new ChatMessage("system", "S1"),
            new ChatMessage("user", "U1"), new ChatMessage("assistant", "A1"), new ChatMessage("user", "U2"));
    /** Without a system message, so that a template's default system prompt shows. */
    private static final List<ChatMessage> PROBE_WITHOUT_SYSTEM = List.of(new ChatMessage("user", "U1"),
            new ChatMessage("assistant", "A1"), new ChatMessage("user", "U2"));

    private final String template;
    private final Source source;
    private final NativeChatFormat llamaCpp;
    private final String bosToken;
    private final String eosToken;
    private final boolean modelAddsBos;

    private ChatPrompt(String template, Source source, NativeChatFormat llamaCpp, GgufHeader header) {
        this.template = template;
        this.source = source;
        this.llamaCpp = llamaCpp;
        this.bosToken = header.tokenText("tokenizer.ggml.bos_token_id").orElse("");
        this.eosToken = header.tokenText("tokenizer.ggml.eos_token_id").orElse("");
        // llama.cpp prepends BOS itself when the vocabulary asks for it (SentencePiece vocabularies by default)
        this.modelAddsBos = header.bool("tokenizer.ggml.add_bos_token")
                .orElse("llama".equals(header.string("tokenizer.ggml.model").orElse("")));
    }

    static ChatPrompt of(GgufHeader header, ModelFamily family, NativeChatFormat llamaCpp, EngineContext context) {
        Optional<String> embedded = header.chatTemplate();
        if (embedded.isPresent()) {
            ChatPrompt jinja = new ChatPrompt(embedded.get(), Source.GGUF, null, header);
            return jinja.sameAs(llamaCpp, context)
                    ? new ChatPrompt(embedded.get(), Source.GGUF_LLAMACPP, llamaCpp, header) : jinja;
        }
        if (family != null && family.chatTemplate() != null && !family.chatTemplate().isBlank()) {
            return new ChatPrompt(family.chatTemplate(), Source.FAMILY, null, header);
        }
        return new ChatPrompt(FALLBACK_TEMPLATE, Source.FALLBACK, null, header);
    }

    /**
     * llama.cpp renders the GGUF's template itself while it loads the model (b4916's minja probes what the template
     * supports), in native code with no time limit and no way to stop it but killing the process. A template that
     * loops for ever would hang the launch and keep a core busy, so it is first rendered here, under the host's
     * renderer time limit, and a template that runs past it is refused before llama.cpp sees the file. Other render
     * failures are left to {@link #of} (a template may refuse the probe's system message, for one).
     */
    static void requireFinishes(GgufHeader header, EngineContext context) {
        Optional<String> embedded = header.chatTemplate();
        if (embedded.isEmpty()) {
            return;
        }
        try {
            new ChatPrompt(embedded.get(), Source.GGUF, null, header).render(PROBE, context);
        } catch (EngineException e) {
            // the renderer's time-limit message (ChatTemplateRenderer#tooSlow); no typed signal crosses the API
            if (e.getMessage() != null && e.getMessage().contains("did not finish rendering")) {
                throw new EngineException(EngineException.Kind.LOAD_FAILED, "The GGUF's chat template "
                        + "(tokenizer.chat_template) does not finish: " + e.getMessage()
                        + ". llama.cpp would render it at load without a time limit, so the model is not loaded", e);
            }
        }
    }

    Source source() {
        return source;
    }

    /** The Jinja source of the template applied (the GGUF's, the family's, or the fallback). */
    String template() {
        return template;
    }

    String render(List<ChatMessage> messages, EngineContext context) {
        return render(messages, List.of(), context);
    }

    /** @param tools the functions the model may call, which the template shows it; llama.cpp's formatter cannot */
    String render(List<ChatMessage> messages, List<ToolDefinition> tools, EngineContext context) {
        if (llamaCpp != null && tools.isEmpty()) {
            Optional<String> formatted = llamaCpp.format(messages);
            if (formatted.isPresent()) {
                return formatted.get();
            }
        }
        Map<String, Object> variables = new HashMap<>();
        variables.put("add_generation_prompt", true);
        variables.put("bos_token", bosToken);
        variables.put("eos_token", eosToken);
        variables.put("tools", tools);
        String prompt = context.renderChatTemplate(template, messages, variables);
        // templates that write bos_token themselves would otherwise give the model two BOS tokens
        if (modelAddsBos && !bosToken.isEmpty() && prompt.startsWith(bosToken)) {
            return prompt.substring(bosToken.length());
        }
        return prompt;
    }

    /** Whether llama.cpp's formatter renders the probe conversations exactly as this (Jinja) prompt does. */
    private boolean sameAs(NativeChatFormat other, EngineContext context) {
        try {
            for (List<ChatMessage> probe : List.of(PROBE, PROBE_WITHOUT_SYSTEM)) {
                if (!render(probe, context).equals(other.format(probe).orElse(null))) {
                    return false;
                }
            }
            return true;
        } catch (EngineException e) {
            return false;
        }
    }
}
