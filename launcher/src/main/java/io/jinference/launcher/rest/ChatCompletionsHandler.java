package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.ChatRequest;
import io.jinference.api.RunningModel;
import io.jinference.launcher.toolcalls.ToolCallFormat;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code POST /v1/chat/completions}. The whole body is checked first (a malformed part is a 400 naming it), then
 * against what the model's engine can do ({@link EngineAbilities}). A model with an OpenAI-compatible server gets
 * the body as it is; a model served here gets the parsed {@link ChatRequest}, once per choice. A forced tool choice
 * is served through structured output by {@link ForcedToolCalls} in both cases; calls the model chose itself, on a
 * model served here by an engine that leaves them to the host, are read out of its text by {@link AutoToolCalls}.
 */
final class ChatCompletionsHandler {
    private static final String PATH = "/v1/chat/completions";
    private final ModelManager models;
    private final AbortableRequests requests;

    ChatCompletionsHandler(ModelManager models, AbortableRequests requests) {
        this.models = models;
        this.requests = requests;
    }

    void create(Context ctx) {
        ObjectNode body = Json.body(ctx);
        GenerationOptions options = GenerationOptions.parse(body, ChatBodies.CHAT_KEYS);
        ChatRequest request = ChatBodies.request(body, options);
        String uid = options.model();
        Observed.of(ctx).model(uid);
        RunningModel model = models.ready(uid);
        ModelInstance instance = models.get(uid);
        EngineAbilities.check(instance, request);
        try (ClientConnection client = ClientConnection.watch(ctx);
                AbortableRequests.Registration registered = requests.register(uid, Json.text(body, "request_id"),
                        client)) {
            try {
                if (request.usesTools() && request.toolChoice().forced()) {
                    forcedToolCalls(ctx, instance, model, body, request, options, client);
                } else if (options.n() > 1 && !options.stream()) {
                    severalChoices(ctx, instance, model, body, request, options, client);
                } else if (!OpenAiPassThrough.forward(ctx, model, PATH, body, uid, client)) {
                    List<GenerationResponder.ChoiceJob> choices = choices(instance, model, request, options,
                            AutoToolCalls.format(instance, model, request));
                    GenerationResponder.respond(ctx, client, options,
                            new OpenAiShape.Chat(uid, request.output().logprobs()), choices);
                }
            } catch (RuntimeException e) {
                // An aborted request fails however its cancellation surfaced (a closed upstream reads as 503).
                GenerationResponder.reportAbort(ctx, client);
                throw e;
            }
            GenerationResponder.reportAbort(ctx, client);
        }
    }

    /** {@code n} choices, fanned out where the model's server refuses that many per request. */
    private static void severalChoices(Context ctx, ModelInstance instance, RunningModel model, ObjectNode body, ChatRequest request,
            GenerationOptions options, ClientConnection client) {
        JsonNode answer = ChoicesFanOut.answer(Observed.of(ctx), model, PATH, body, options.model(), client, options.n());
        if (answer == null) {
            List<GenerationResponder.ChoiceJob> choices = choices(instance, model, request, options,
                    AutoToolCalls.format(instance, model, request));
            GenerationResponder.respond(ctx, client, options,
                    new OpenAiShape.Chat(options.model(), request.output().logprobs()), choices);
        } else if (!answer.isMissingNode() && !client.gone()) {
            Json.send(ctx, answer);
        }
    }

    private static void forcedToolCalls(Context ctx, ModelInstance instance, RunningModel model, ObjectNode body,
            ChatRequest request, GenerationOptions options, ClientConnection client) {
        JsonNode answer = ChoicesFanOut.answer(Observed.of(ctx), model, PATH, ForcedToolCalls.constrainedBody(body, request),
                options.model(), client, options.n());
        if (answer == null) {
            ChatRequest constrained = ForcedToolCalls.constrained(request);
            Map<String, Object> whole = GenerationResponder.whole(client,
                    new OpenAiShape.Chat(options.model(), request.output().logprobs()),
                    choices(instance, model, constrained, options, Optional.empty()), Observed.of(ctx));
            answer = whole == null ? null : Json.MAPPER.valueToTree(whole);
        }
        if (answer == null || answer.isMissingNode() || client.gone()) {
            return;
        }
        ObjectNode calls = ForcedToolCalls.toToolCalls(answer);
        if (options.stream()) {
            AnswerStream.send(ctx, calls, options.includeUsage());
        } else {
            Json.send(ctx, calls);
        }
    }

    /**
     * {@code n} choices; with a seed, each samples with its own (seed, seed + 1, …), else they would be equal. With
     * a tool-call format, each choice's calls are read out of its text ({@link AutoToolCalls}). Only for a model
     * served in this process, which reads no key it does not know ({@link UnreadParameters}).
     */
    private static List<GenerationResponder.ChoiceJob> choices(ModelInstance instance, RunningModel model,
            ChatRequest request, GenerationOptions options, Optional<ToolCallFormat> toolCalls) {
        UnreadParameters.refuse(instance, request.sampling());
        List<GenerationResponder.ChoiceJob> choices = new ArrayList<>();
        for (int i = 0; i < options.n(); i++) {
            Long seed = request.sampling().seed();
            ChatRequest choice = i == 0 || seed == null ? request : new ChatRequest(request.messages(),
                    request.sampling().withSeed(seed + i), request.tools(), request.toolChoice(),
                    request.responseFormat(), request.output());
            choices.add(new GenerationResponder.ChoiceJob("", i == 0,
                    AutoToolCalls.generation(model, choice, toolCalls)));
        }
        return choices;
    }
}
