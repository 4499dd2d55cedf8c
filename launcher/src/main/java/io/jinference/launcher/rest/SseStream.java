package io.jinference.launcher.rest;

import io.jinference.api.TokenLogprob;
import io.jinference.api.TokenSink;
import io.jinference.api.ToolCallDelta;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

/**
 * An OpenAI-style Server-Sent Events stream written by hand: bare {@code data: {json}} events (no {@code event:}
 * lines, which OpenAI SDKs treat differently), flushed one by one, ended by {@code data: [DONE]}. The response is
 * committed only by the first event, so a request the engine refuses before its first token still gets a plain
 * 4xx. A client that goes away (noticed by its {@link ClientConnection}, or by the first write that fails) turns
 * {@link #isCancelled()} true, so the engine stops and frees its slot.
 */
final class SseStream {
    private final Supplier<OutputStream> commit;
    private final ClientConnection client;
    private final Runnable firstText;
    private OutputStream out;
    private volatile boolean cancelled;

    /**
     * @param commit sets the status and headers and opens the body; called once, before the first event
     * @param firstText told of each text chunk before it is sent (the request log takes the first as its TTFT)
     */
    SseStream(Supplier<OutputStream> commit, ClientConnection client, Runnable firstText) {
        this.commit = commit;
        this.client = client;
        this.firstText = firstText;
    }

    /** Where the engine streams choice {@code index}: its text becomes that choice's chunks. */
    TokenSink choice(int index, OpenAiShape shape) {
        return new ChoiceSink(index, shape);
    }

    boolean isCancelled() {
        return cancelled || client.gone();
    }

    synchronized boolean started() {
        return out != null;
    }

    void send(Object chunk) {
        write("data: " + Json.write(chunk) + "\n\n");
    }

    void done() {
        write("data: [DONE]\n\n");
    }

    private synchronized void write(String event) {
        if (cancelled) {
            return;
        }
        try {
            if (out == null) {
                out = commit.get();
            }
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            cancelled = true;
        }
    }

    private final class ChoiceSink implements TokenSink {
        private final int index;
        private final OpenAiShape shape;
        private boolean opened;

        ChoiceSink(int index, OpenAiShape shape) {
            this.index = index;
            this.shape = shape;
        }

        /** Chat announces the assistant role before a choice's first text. */
        private void open() {
            if (!opened) {
                opened = true;
                Object opening = shape.openingChunk(index);
                if (opening != null) {
                    send(opening);
                }
            }
        }

        @Override
        public void onText(String delta) {
            open();
            firstText.run();
            send(shape.chunk(index, delta));
        }

        @Override
        public void onLogprobs(List<TokenLogprob> logprobs) {
            open();
            send(shape.logprobsChunk(index, logprobs));
        }

        @Override
        public void onToolCall(ToolCallDelta delta) {
            open();
            firstText.run();
            send(shape.toolCallChunk(index, delta));
        }

        @Override
        public boolean isCancelled() {
            return SseStream.this.isCancelled();
        }
    }
}
