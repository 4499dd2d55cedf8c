package io.jinference.engine.transformers;

import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.TokenSink;
import io.jinference.api.Usage;
import java.util.BitSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One request's generation as the {@link BatchScheduler} steps it: the tokens to run next, its own KV cache, sampler,
 * stop rules, token limit and sink, and the answer its caller waits for. Used by the scheduler thread only, except
 * {@link #await()}.
 */
final class Sequence {
    private final long[] prompt;
    private final int maxTokens;
    private final Sampler sampler;
    private final boolean ignoreEos;
    private final Set<Long> stopTokenIds;
    private final TextStream text;
    private final TokenSink sink;
    private final BitSet seen = new BitSet();
    private final CompletableFuture<Generation> answer = new CompletableFuture<>();
    private KvCache cache;
    private long[] input;
    private int generated;

    Sequence(long[] prompt, int maxTokens, Sampler sampler, boolean ignoreEos, Set<Long> stopTokenIds,
            TextStream text, TokenSink sink) {
        this.prompt = prompt;
        this.maxTokens = maxTokens;
        this.sampler = sampler;
        this.ignoreEos = ignoreEos;
        this.stopTokenIds = stopTokenIds;
        this.text = text;
        this.sink = sink;
        this.input = prompt;
        for (long id : prompt) {
            seen.set((int) id);
        }
    }

    /** Gives the sequence its cache when it joins the batch; the sequence closes it when it ends. */
    void start(KvCache newCache) {
        this.cache = newCache;
    }

    KvCache cache() {
        return cache;
    }

    /** The tokens the next step runs: the prompt first, then the last generated token. */
    long[] input() {
        return input;
    }

    /** Ends the sequence as cancelled when its client asked; true when it did. */
    boolean endIfCancelled() {
        if (!sink.isCancelled()) {
            return false;
        }
        finish(FinishReason.CANCELLED);
        return true;
    }

    /**
     * Picks the next token from this sequence's logits of the last step and streams its text.
     *
     * @return true when the sequence has ended (its answer is complete)
     */
    boolean accept(float[] logits) {
        int token = sampler.next(logits, seen);
        generated++;
        seen.set(token);
        if (!ignoreEos && stopTokenIds.contains((long) token)) {
            finish(FinishReason.STOP);
            return true;
        }
        if (text.add(token)) {
            // The stop string ended the text; what was held back belongs to it and is dropped.
            end(new Generation(FinishReason.STOP, new Usage(prompt.length, generated)));
            return true;
        }
        if (generated >= maxTokens) {
            finish(FinishReason.LENGTH);
            return true;
        }
        input = new long[] {token};
        return false;
    }

    /** Ends the sequence with an error its caller gets. */
    void fail(RuntimeException error) {
        closeCache();
        answer.completeExceptionally(error);
    }

    /** Waits for the answer; an error of the generation is thrown here, on the caller's thread. */
    Generation await() {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new EngineException(EngineException.Kind.INTERNAL, "The generation failed: " + e.getCause());
        }
    }

    private void finish(FinishReason reason) {
        text.flush();
        end(new Generation(reason, new Usage(prompt.length, generated)));
    }

    private void end(Generation generation) {
        closeCache();
        answer.complete(generation);
    }

    private void closeCache() {
        if (cache != null) {
            cache.close();
            cache = null;
        }
    }
}
