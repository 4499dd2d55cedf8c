package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.CompletionRequest;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelManager;
import java.util.List;
import java.util.Set;

/** {@code POST /v1/completions}. */
final class CompletionsHandler {
    private final ModelManager models;

    CompletionsHandler(ModelManager models) {
        this.models = models;
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        String uid = Json.requiredText(body, "model");
        Observed.of(ctx).model(uid);
        RunningModel model = models.ready(uid);
        try (ClientConnection client = ClientConnection.watch(ctx)) {
            if (OpenAiPassThrough.forward(ctx, model, "/v1/completions", body, uid, client)) {
                return;
            }
            GenerationOptions options = GenerationOptions.parse(body, Set.of("prompt", "echo", "logprobs"));
            List<String> prompts = Json.textOrTexts(body, "prompt");
            if (prompts.size() != 1) {
                throw ApiError.badRequest("prompt must be one string");
            }
            CompletionRequest request = new CompletionRequest(prompts.get(0), options.sampling());
            GenerationResponder.respond(ctx, client, options, new OpenAiShape.Completion(uid),
                    sink -> model.complete(request, sink));
        }
    }
}
