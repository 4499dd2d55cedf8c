package io.jinference.launcher.rest;

import io.jinference.api.TokenSink;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An OpenAI-style Server-Sent Events stream written by hand: bare {@code data: {json}} events (no {@code event:}
 * lines, which OpenAI SDKs treat differently), flushed one by one, ended by {@code data: [DONE]}. The response is
 * committed only by the first event, so a request the engine refuses before its first token still gets a plain
 * 4xx. A client that goes away (noticed by its {@link ClientConnection}, or by the first write that fails) turns
 * {@link #isCancelled()} true, so the engine stops and frees its slot.
 */
final class SseStream implements TokenSink {
    private final Supplier<OutputStream> commit;
    private final ClientConnection client;
    private final Object opening;
    private final Function<String, Object> chunkForText;
    private OutputStream out;
    private volatile boolean cancelled;

    /**
     * @param commit sets the status and headers and opens the body; called once, before the first event
     * @param opening the event sent before the first one (chat announces the assistant role), or null
     */
    SseStream(Supplier<OutputStream> commit, ClientConnection client, Object opening,
            Function<String, Object> chunkForText) {
        this.commit = commit;
        this.client = client;
        this.opening = opening;
        this.chunkForText = chunkForText;
    }

    @Override
    public void onText(String delta) {
        send(chunkForText.apply(delta));
    }

    @Override
    public boolean isCancelled() {
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
                if (opening != null) {
                    out.write(("data: " + Json.write(opening) + "\n\n").getBytes(StandardCharsets.UTF_8));
                }
            }
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException | UncheckedIOException e) {
            cancelled = true;
        }
    }
}
