package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import io.jinference.api.TokenSink;
import io.jinference.metrics.RequestRecord;
import io.jinference.runtime.ModelStoppedException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
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

    static void respond(Context ctx, ClientConnection client, GenerationOptions options, OpenAiShape shape,
            Function<TokenSink, Generation> generate) {
        if (options.stream()) {
            stream(ctx, client, options, shape, generate);
        } else {
            BufferedSink sink = new BufferedSink(client);
            Generation generation = generate.apply(sink);
            countUsage(ctx, generation);
            if (!client.gone()) {
                Json.send(ctx, shape.response(sink.text(), generation));
            }
        }
    }

    private static void stream(Context ctx, ClientConnection client, GenerationOptions options, OpenAiShape shape,
            Function<TokenSink, Generation> generate) {
        RequestRecord record = Observed.of(ctx);
        SseStream events = new SseStream(() -> openEventStream(ctx), client, shape.openingChunk(), text -> {
            record.firstToken();
            return shape.chunk(text);
        });
        try {
            Generation generation = generate.apply(events);
            countUsage(ctx, generation);
            events.send(shape.finalChunk(generation));
            if (options.includeUsage()) {
                events.send(shape.usageChunk(generation));
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

    private static void countUsage(Context ctx, Generation generation) {
        if (generation.usage() != null) {
            Observed.of(ctx).usage(generation.usage().promptTokens(), generation.usage().completionTokens());
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
