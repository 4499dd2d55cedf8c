package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import io.jinference.runtime.ModelNotFoundException;
import java.io.IOException;
import java.util.Set;

/**
 * Refuses a prompt that cannot fit the model's context before anything tokenises it. Counting characters is cheap
 * and a token is never shorter than one character, but it can be longer: a prompt of more than
 * {@value #MAX_CHARS_PER_TOKEN} characters per context token cannot fit any tokenizer, so it is answered 400 at once
 * instead of being tokenised in full (seconds for megabytes) only to fail the context check.
 */
final class PromptBound {
    /** Longer than any token of the vocabularies served (long whitespace runs included). */
    static final int MAX_CHARS_PER_TOKEN = 64;
    private static final Set<String> ROUTES = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");

    private final ModelManager models;

    PromptBound(ModelManager models) {
        this.models = models;
    }

    void check(Context ctx, String template) {
        if (!ROUTES.contains(template) || !RequestGuard.isJson(ctx)) {
            return;
        }
        JsonNode body;
        try {
            body = Json.parseAhead(ctx);
        } catch (IOException e) {
            return;
        }
        if (body == null || !body.path("model").isTextual()) {
            return;
        }
        ModelInstance model;
        try {
            model = models.get(body.path("model").asText());
        } catch (ModelNotFoundException e) {
            return;
        }
        long contextTokens = model.family().contextLength();
        long characters = characters(body.get("prompt")) + characters(body.get("input"));
        for (JsonNode message : body.path("messages")) {
            characters += characters(message.get("content"));
        }
        if (contextTokens > 0 && characters > contextTokens * MAX_CHARS_PER_TOKEN) {
            throw ApiError.badRequest("The prompt has " + characters + " characters, more than a context of "
                    + contextTokens + " tokens can hold (at most " + contextTokens * MAX_CHARS_PER_TOKEN
                    + " characters)");
        }
    }

    /** Every character of every string inside {@code node}: message contents, prompt lists, content parts. */
    private static long characters(JsonNode node) {
        if (node == null) {
            return 0;
        }
        if (node.isTextual()) {
            return node.asText().length();
        }
        long total = 0;
        for (JsonNode child : node) {
            total += characters(child);
        }
        return total;
    }
}
