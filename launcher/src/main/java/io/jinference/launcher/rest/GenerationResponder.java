package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import io.jinference.api.TokenSink;
import io.jinference.api.Usage;
import io.jinference.metrics.RequestRecord;
import io.jinference.runtime.ModelStoppedException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one text generation either whole (OpenAI's completion object with usage and finish reason) or as an
 * SSE stream (chunks, a final chunk with the finish reason, an optional usage chunk, {@code [DONE]}). Once a
 * stream has started, a failure can no longer change the status code: it becomes a {@code data: {"error": …}}
 * event before {@code [DONE]}, which the openai SDKs raise as an {@code APIError} with its message. A model
 * terminated or unloaded while it generates ends its streams that way too (type {@code model_terminated}), never
 * with {@code finish_reason: "stop"}. A client that goes away cancels its generation, streaming or not.
 */
final class GenerationResponder {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationResponder.class);

    private GenerationResponder() {
    }

    /**
     * One choice to generate.
     *
     * @param echo text sent before the generated text (the prompt, for completions with {@code echo}); may be empty
     * @param countsPrompt whether this choice's prompt tokens count in the usage (once per prompt, not per choice)
     */
    record ChoiceJob(String echo, boolean countsPrompt, Function<TokenSink, Generation> generate) {
    }

    /** Generates the choices one after the other, answering them whole or as one SSE stream. */
    static void respond(Context ctx, ClientConnection client, GenerationOptions options, OpenAiShape shape,
            List<ChoiceJob> choices) {
        if (options.stream()) {
            stream(ctx, client, options, shape, choices);
        } else {
            Map<String, Object> response = whole(client, shape, choices, Observed.of(ctx));
            if (response != null) {
                Json.send(ctx, response);
            }
        }
    }

    /** The whole answer (OpenAI's completion object); null when the client went away meanwhile. */
    static Map<String, Object> whole(ClientConnection client, OpenAiShape shape, List<ChoiceJob> choices,
            RequestRecord record) {
        List<OpenAiShape.Answer> answers = new ArrayList<>();
        UsageSum usage = new UsageSum();
        for (ChoiceJob choice : choices) {
            BufferedSink sink = new BufferedSink(client);
            Generation generation = choice.generate().apply(sink);
            if (client.gone()) {
                return null;
            }
            usage.add(choice, generation);
            answers.add(new OpenAiShape.Answer(choice.echo() + sink.text(), sink.logprobs(), generation,
                    sink.toolCalls()));
        }
        record.usage(usage.total().promptTokens(), usage.total().completionTokens());
        return shape.response(answers, usage.total());
    }

    private static void stream(Context ctx, ClientConnection client, GenerationOptions options, OpenAiShape shape,
            List<ChoiceJob> choices) {
        RequestRecord record = Observed.of(ctx);
        SseStream events = new SseStream(() -> openEventStream(ctx), client, record::firstToken);
        try {
            UsageSum usage = new UsageSum();
            for (int index = 0; index < choices.size() && !events.isCancelled(); index++) {
                ChoiceJob choice = choices.get(index);
                TokenSink sink = events.choice(index, shape);
                if (!choice.echo().isEmpty()) {
                    sink.onText(choice.echo());
                }
                Generation generation = choice.generate().apply(sink);
                usage.add(choice, generation);
                boolean last = index == choices.size() - 1;
                events.send(shape.finalChunk(index, generation, last ? usage.total() : null));
            }
            record.usage(usage.total().promptTokens(), usage.total().completionTokens());
            if (options.includeUsage()) {
                events.send(shape.usageChunk(usage.total()));
            }
        } catch (RuntimeException e) {
            if (!events.started()) {
                throw e;
            }
            logUnexpected(shape.model, e);
            record.error(type(e));
            events.send(Map.of("error", error(e)));
        }
        events.done();
    }

    /** The usage of several choices: every choice's completion, and each prompt once. */
    private static final class UsageSum {
        private int prompt;
        private int completion;

        void add(ChoiceJob choice, Generation generation) {
            Usage usage = generation.usage();
            if (usage != null) {
                prompt += choice.countsPrompt() ? usage.promptTokens() : 0;
                completion += usage.completionTokens();
            }
        }

        Usage total() {
            return new Usage(prompt, completion);
        }
    }

    /** A request aborted before any answer was written gets an error saying so, not an empty 200. */
    static void reportAbort(Context ctx, ClientConnection client) {
        if (client.aborted() && !ctx.res().isCommitted()) {
            throw new ApiError(499, "The request was aborted (abort_request)");
        }
    }

    private static OutputStream openEventStream(Context ctx) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        try {
            return ctx.res().getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the response stream", e);
        }
    }

    /** A failure that is no engine's report is a bug: logged with its stack trace, which the client never sees. */
    static void logUnexpected(String model, RuntimeException e) {
        if (!(e instanceof EngineException) && !(e instanceof ApiError)) {
            LOG.error("Generation for {} failed while streaming", model, e);
        }
    }

    /** The {@code error} object of a stream's error event, as OpenAI writes it. */
    static Map<String, Object> error(RuntimeException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        boolean explained = e instanceof EngineException || e instanceof ApiError;
        error.put("message", explained ? e.getMessage() : "Internal error: " + e.getMessage());
        error.put("type", type(e));
        error.put("param", e instanceof ApiError api ? api.param() : null);
        error.put("code", ErrorMapper.status(e));
        return error;
    }

    static String type(RuntimeException e) {
        if (e instanceof ModelStoppedException) {
            return "model_terminated";
        }
        if (e instanceof EngineException engine) {
            return engine.kind().name().toLowerCase(Locale.ROOT);
        }
        return e instanceof ApiError ? "invalid_request" : "internal";
    }
}
