package io.jinference.runtime;

import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.TokenSink;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A {@link RunningModel} decorator that counts the calls in flight, so that the model can be drained before its
 * engine goes away: after {@link #refuse} every new call gets {@link ModelNotReadyException} (503) with the reason,
 * and {@link #awaitIdle} waits for the calls already running.
 */
final class DrainableModel implements RunningModel {
    private final RunningModel delegate;
    private int inFlight;
    private String refusal;

    DrainableModel(RunningModel delegate) {
        this.delegate = delegate;
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return counted(() -> delegate.chat(request, sink));
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        return counted(() -> delegate.complete(request, sink));
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        return counted(() -> delegate.embed(request));
    }

    @Override
    public Map<String, Object> describe() {
        return delegate.describe();
    }

    @Override
    public void close() {
        delegate.close();
    }

    private <T> T counted(Supplier<T> call) {
        enter();
        try {
            return call.get();
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
}
