package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code POST /v1/chat/completions}. */
final class ChatCompletionsHandler {
    private static final Set<String> ROLES = Set.of("system", "user", "assistant", "developer", "tool");
    private final ModelManager models;

    ChatCompletionsHandler(ModelManager models) {
        this.models = models;
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        String uid = Json.requiredText(body, "model");
        Observed.of(ctx).model(uid);
        RunningModel model = models.ready(uid);
        try (ClientConnection client = ClientConnection.watch(ctx)) {
            if (OpenAiPassThrough.forward(ctx, model, "/v1/chat/completions", body, uid, client)) {
                return;
            }
            GenerationOptions options = GenerationOptions.parse(body, Set.of("messages"));
            ChatRequest request = new ChatRequest(messages(body.get("messages")), options.sampling());
            GenerationResponder.respond(ctx, client, options, new OpenAiShape.Chat(uid),
                    sink -> model.chat(request, sink));
        }
    }

    private static List<ChatMessage> messages(JsonNode node) {
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badRequest("messages must be a non-empty list of {\"role\", \"content\"} objects");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : node) {
            String role = message.path("role").asText("");
            if (!ROLES.contains(role)) {
                throw ApiError.badRequest("Unknown message role '" + role + "'; expected one of " + ROLES);
            }
            messages.add(new ChatMessage(role, content(message.get("content"))));
        }
        return messages;
    }

    /** A string, or OpenAI's list of content parts of which the text parts are joined. */
    private static String content(JsonNode content) {
        if (content == null || content.isNull()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (!"text".equals(part.path("type").asText())) {
                    throw ApiError.badRequest("Only text content parts are supported, got " + part.path("type"));
                }
                if (!part.path("text").isTextual()) {
                    throw ApiError.badRequest("A text content part's text must be a string");
                }
                text.append(part.path("text").asText());
            }
            return text.toString();
        }
        throw ApiError.badRequest("message content must be a string or a list of content parts");
    }
}
