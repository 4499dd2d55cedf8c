package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.CompletionRequest;
import io.jinference.api.OutputOptions;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/completions}: one prompt or a list of them, {@code n} choices each (choice {@code p * n + i} is
 * prompt {@code p}'s {@code i}-th, as OpenAI orders them), {@code echo} and {@code logprobs} where the engine can.
 */
final class CompletionsHandler {
    private static final String PATH = "/v1/completions";
    private final ModelManager models;
    private final AbortableRequests requests;

    CompletionsHandler(ModelManager models, AbortableRequests requests) {
        this.models = models;
        this.requests = requests;
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        GenerationOptions options = GenerationOptions.parse(body, Set.of("prompt", "echo", "logprobs", "request_id"));
        List<String> prompts = Json.textOrTexts(body, "prompt");
        if (prompts.isEmpty()) {
            throw ApiError.badParameter("prompt", "prompt must be a string or a non-empty list of strings");
        }
        Integer logprobs = Json.integer(body, "logprobs");
        if (logprobs != null && (logprobs < 0 || logprobs > OutputOptions.MAX_TOP_LOGPROBS)) {
            throw ApiError.badParameter("logprobs", "logprobs must be between 0 and "
                    + OutputOptions.MAX_TOP_LOGPROBS);
        }
        boolean echo = Json.bool(body, "echo", false);
        CompletionRequest request = new CompletionRequest(prompts, options.sampling(), options.responseFormat(),
                new OutputOptions(logprobs != null, logprobs == null ? 0 : logprobs, echo));
        String uid = options.model();
        Observed.of(ctx).model(uid);
        RunningModel model = models.ready(uid);
        ModelInstance instance = models.get(uid);
        EngineAbilities.check(instance, request);
        try (ClientConnection client = ClientConnection.watch(ctx);
                AbortableRequests.Registration registered = requests.register(uid, Json.text(body, "request_id"),
                        client)) {
            try {
                if (!OpenAiPassThrough.forward(ctx, model, PATH, body, uid, client)) {
                    GenerationResponder.respond(ctx, client, options,
                            new OpenAiShape.Completion(uid, logprobs != null),
                            choices(instance, model, request, options.n()));
                }
            } catch (RuntimeException e) {
                // An aborted request fails however its cancellation surfaced (a closed upstream reads as 503).
                GenerationResponder.reportAbort(ctx, client);
                throw e;
            }
            GenerationResponder.reportAbort(ctx, client);
        }
    }

    /** The choices of a model served in this process, which reads no unknown key ({@link UnreadParameters}). */
    private static List<GenerationResponder.ChoiceJob> choices(ModelInstance instance, RunningModel model,
            CompletionRequest request, int n) {
        UnreadParameters.refuse(instance, request.sampling());
        List<GenerationResponder.ChoiceJob> choices = new ArrayList<>();
        for (int p = 0; p < request.prompts().size(); p++) {
            // The host writes the echo itself, so the engine is asked for the completion only.
            CompletionRequest single = new CompletionRequest(List.of(request.prompts().get(p)), request.sampling(),
                    request.responseFormat(), new OutputOptions(request.output().logprobs(),
                            request.output().topLogprobs(), false));
            String echo = request.output().echo() ? single.prompt() : "";
            for (int i = 0; i < n; i++) {
                Long seed = single.sampling().seed();
                CompletionRequest choice = i == 0 || seed == null ? single : new CompletionRequest(single.prompts(),
                        single.sampling().withSeed(seed + i), single.responseFormat(), single.output());
                choices.add(new GenerationResponder.ChoiceJob(echo, i == 0, sink -> model.complete(choice, sink)));
            }
        }
        return choices;
    }
}
