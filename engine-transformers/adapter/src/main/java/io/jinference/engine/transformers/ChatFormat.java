package io.jinference.engine.transformers;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.jinference.api.ChatMessage;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.ToolDefinition;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat template of {@code tokenizer_config.json} (or, without one, the model family's), rendered by the host's
 * Jinja engine with the special tokens transformers' {@code apply_chat_template} passes.
 */
final class ChatFormat {
    private final String template;
    private final Map<String, Object> variables;

    private ChatFormat(String template, Map<String, Object> variables) {
        this.template = template;
        this.variables = variables;
    }

    static ChatFormat from(JsonObject tokenizerConfig, String familyTemplate) {
        String template = templateOf(tokenizerConfig.get("chat_template"));
        Map<String, Object> variables = new HashMap<>();
        variables.put("add_generation_prompt", true);
        putToken(variables, "bos_token", tokenizerConfig.get("bos_token"));
        putToken(variables, "eos_token", tokenizerConfig.get("eos_token"));
        return new ChatFormat(template != null ? template : familyTemplate, Map.copyOf(variables));
    }

    boolean available() {
        return template != null && !template.isBlank();
    }

    /** The Jinja source of the template applied. */
    String template() {
        return template;
    }

    /** @param tools the functions the model may call, which the template shows it; empty for none */
    String render(List<ChatMessage> messages, List<ToolDefinition> tools, EngineContext context) {
        if (!available()) {
            throw new EngineException(EngineException.Kind.UNSUPPORTED,
                    "This model has no chat template (none in tokenizer_config.json or its family): use completions");
        }
        Map<String, Object> withTools = new HashMap<>(variables);
        withTools.put("tools", tools);
        return context.renderChatTemplate(template, messages, withTools);
    }

    /** A string, or (newer checkpoints) a list of named templates of which "default" is the chat one. */
    private static String templateOf(JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return null;
        }
        if (value.isJsonPrimitive()) {
            return value.getAsString();
        }
        if (value.isJsonArray()) {
            for (JsonElement entry : value.getAsJsonArray()) {
                JsonObject named = entry.getAsJsonObject();
                if ("default".equals(ModelConfig.optionalString(named, "name"))) {
                    return ModelConfig.optionalString(named, "template");
                }
            }
        }
        return null;
    }

    /** Special tokens appear as plain strings or as AddedToken objects with a "content" field. */
    private static void putToken(Map<String, Object> variables, String name, JsonElement value) {
        if (value == null || value.isJsonNull()) {
            return;
        }
        String content = value.isJsonObject() ? ModelConfig.optionalString(value.getAsJsonObject(), "content")
                : value.getAsString();
        if (content != null) {
            variables.put(name, content);
        }
    }
}
