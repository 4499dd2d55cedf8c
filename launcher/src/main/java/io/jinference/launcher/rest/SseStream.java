package io.jinference.launcher.rest;

import io.jinference.api.TokenSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * An OpenAI-style Server-Sent Events stream written by hand: bare {@code data: {json}} events (no {@code event:}
 * lines, which OpenAI SDKs treat differently), flushed one by one, ended by {@code data: [DONE]}. The first write
 * that fails means the client went away: from then on {@link #isCancelled()} is true, so the engine stops and
 * frees its slot.
 */
final class SseStream implements TokenSink {
    private final OutputStream out;
    private final Function<String, Object> chunkForText;
    private volatile boolean cancelled;

    SseStream(OutputStream out, Function<String, Object> chunkForText) {
        this.out = out;
        this.chunkForText = chunkForText;
    }

    @Override
    public void onText(String delta) {
        send(chunkForText.apply(delta));
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
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
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            cancelled = true;
        }
    }
}
