package io.jinference.launcher.rest;

import io.javalin.http.Context;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import io.jinference.api.TokenSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one text generation either whole (OpenAI's completion object with usage and finish reason) or as an
 * SSE stream (chunks, a final chunk with the finish reason, an optional usage chunk, {@code [DONE]}). Once a
 * stream has started, a failure can no longer change the status code: it becomes a {@code data: {"error": …}}
 * event.
 */
final class GenerationResponder {
    private static final Logger LOG = LoggerFactory.getLogger(GenerationResponder.class);

    private GenerationResponder() {
    }

    static void respond(Context ctx, GenerationOptions options, OpenAiShape shape,
            Function<TokenSink, Generation> generate) {
        if (options.stream()) {
            stream(ctx, options, shape, generate);
        } else {
            BufferedSink sink = new BufferedSink();
            Generation generation = generate.apply(sink);
            Json.send(ctx, shape.response(sink.text(), generation));
        }
    }

    private static void stream(Context ctx, GenerationOptions options, OpenAiShape shape,
            Function<TokenSink, Generation> generate) {
        SseStream events = new SseStream(() -> openEventStream(ctx), shape.openingChunk(), shape::chunk);
        try {
            Generation generation = generate.apply(events);
            events.send(shape.finalChunk(generation));
            if (options.includeUsage()) {
                events.send(shape.usageChunk(generation));
            }
        } catch (RuntimeException e) {
            if (!events.started()) {
                throw e;
            }
            if (!(e instanceof EngineException)) {
                LOG.error("Generation for {} failed while streaming", shape.model, e);
            }
            events.send(Map.of("error", error(e)));
        }
        events.done();
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

    private static Map<String, Object> error(RuntimeException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e instanceof EngineException ? e.getMessage() : "Internal error: " + e.getMessage());
        error.put("type", e instanceof EngineException engine ? engine.kind().name().toLowerCase() : "internal");
        error.put("code", ErrorMapper.status(e));
        return error;
    }
}
