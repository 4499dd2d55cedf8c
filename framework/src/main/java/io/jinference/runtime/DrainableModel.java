package io.jinference.runtime;

import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.Generation;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.api.TokenSink;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link RunningModel} decorator that counts the calls in flight, so that the model can be drained before its
 * engine goes away: after {@link #refuse} every new call gets {@link ModelNotReadyException} (503) with the reason,
 * and {@link #awaitIdle} waits for the calls already running. Forwarded requests ({@link #forward}) count like any
 * other call.
 *
 * <p>Once {@link #close closed} (terminated, or unloaded after the drain timeout), the calls still running learn it:
 * their token sinks report cancellation, so in-process engines stop, and each of them ends with
 * {@link ModelStoppedException} instead of a result, since a generation an engine ends early because its model went
 * away would otherwise look finished ({@code finish_reason: "stop"}).
 */
final class DrainableModel implements RunningModel {
    private final String uid;
    private final RunningModel delegate;
    private int inFlight;
    private String refusal;
    private volatile String stopped;

    DrainableModel(String uid, RunningModel delegate) {
        this.uid = uid;
        this.delegate = delegate;
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return generation(() -> delegate.chat(request, new StoppableSink(sink)));
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        return generation(() -> delegate.complete(request, new StoppableSink(sink)));
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        return counted(() -> delegate.embed(request));
    }

    @Override
    public boolean forward(Consumer<OpenAiUpstream> exchange) {
        return counted(() -> delegate.forward(exchange));
    }

    @Override
    public Map<String, Object> describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        synchronized (this) {
            stopped = "Model " + uid + " was terminated while generating" + (refusal == null ? "" : " (" + refusal
                    + ")");
        }
        delegate.close();
    }

    /** A generation that returns after the model was closed was cut short, whatever finish reason it gives. */
    private Generation generation(Supplier<Generation> call) {
        return counted(() -> {
            Generation generation = call.get();
            String why = stopped;
            if (why != null) {
                throw new ModelStoppedException(why);
            }
            return generation;
        });
    }

    private <T> T counted(Supplier<T> call) {
        enter();
        try {
            return call.get();
        } catch (RuntimeException e) {
            String why = stopped;
            if (why != null && !(e instanceof ModelStoppedException)) {
                ModelStoppedException cut = new ModelStoppedException(why);
                cut.addSuppressed(e);
                throw cut;
            }
            throw e;
        } finally {
            exit();
        }
    }

    private synchronized void enter() {
        if (refusal != null) {
            throw new ModelNotReadyException(refusal);
        }
        inFlight++;
    }

    private synchronized void exit() {
        inFlight--;
        if (inFlight == 0) {
            notifyAll();
        }
    }

    /** From now on every new call is refused with this reason. */
    synchronized void refuse(String reason) {
        refusal = reason;
    }

    /**
     * Waits until no call is in flight or the deadline ({@link System#nanoTime()}) passes.
     *
     * @return how many calls are still running (0 when drained)
     */
    synchronized int awaitIdle(long deadlineNanos) {
        long left;
        while (inFlight > 0 && (left = deadlineNanos - System.nanoTime()) > 0) {
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return inFlight;
    }

    /** The client's sink, which also reports cancellation once the model is closed, so the engine stops. */
    private final class StoppableSink implements TokenSink {
        private final TokenSink client;

        StoppableSink(TokenSink client) {
            this.client = client;
        }

        @Override
        public void onText(String delta) {
            client.onText(delta);
        }

        @Override
        public boolean isCancelled() {
            return stopped != null || client.isCancelled();
        }
    }
}
