package io.jinference.engine.transformers;

import ai.djl.ndarray.NDManager;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Continuous batching: one thread steps every active sequence at once, one token each per step, so that the weights
 * read for a step serve all of them. A request that arrives joins at the next step with its whole prompt (its
 * prefill runs in that step beside the others' decoding); one that ends leaves the batch right away.
 */
final class BatchScheduler {
    /** Sequences stepped together; later requests wait their turn in arrival order. */
    static final int MAX_SEQUENCES = 8;

    private final DecoderModel model;
    private final Deque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> active = new ArrayList<>();
    private final Thread thread;
    private boolean closed;

    BatchScheduler(DecoderModel model, String name) {
        this.model = model;
        this.thread = new Thread(() -> DjlRuntime.run(this::loop), name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues a sequence and waits for its answer. */
    Generation submit(Sequence sequence) {
        synchronized (this) {
            if (closed) {
                throw terminated();
            }
            waiting.add(sequence);
            notifyAll();
        }
        return sequence.await();
    }

    /**
     * Ends every waiting and active sequence with UNAVAILABLE (after the step under way) and stops the thread, so
     * that the model can be closed.
     */
    void close() {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        if (Thread.currentThread() != thread) {
            Threads.joinUninterruptibly(thread);
        }
    }

    private void loop() {
        try {
            while (admit()) {
                step();
            }
        } finally {
            // Also when the thread dies of an error: no caller may wait forever, and no request may queue again.
            for (Sequence sequence : active) {
                sequence.fail(terminated());
            }
            active.clear();
            synchronized (this) {
                closed = true;
                waiting.forEach(sequence -> sequence.fail(terminated()));
                waiting.clear();
            }
        }
    }

    /** Moves waiting sequences into the batch, sleeping while there is nothing to do; false once closed. */
    private boolean admit() {
        List<Sequence> joining = new ArrayList<>();
        synchronized (this) {
            while (!closed && waiting.isEmpty() && active.isEmpty()) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    closed = true;
                }
            }
            if (closed) {
                return false;
            }
            while (active.size() + joining.size() < MAX_SEQUENCES && !waiting.isEmpty()) {
                joining.add(waiting.poll());
            }
        }
        for (Sequence sequence : joining) {
            sequence.start(model.newCache());
            active.add(sequence);
        }
        return true;
    }

    /** One forward pass for every active sequence, then each picks its token and may end. */
    private void step() {
        active.removeIf(Sequence::endIfCancelled);
        if (active.isEmpty()) {
            return;
        }
        long[][] tokens = new long[active.size()][];
        KvCache[] caches = new KvCache[active.size()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = active.get(i).input();
            caches[i] = active.get(i).cache();
        }
        float[] logits;
        try (NDManager scope = model.newScope()) {
            logits = model.forward(scope, tokens, caches).toFloatArray();
        } catch (RuntimeException e) {
            // A failed pass may have written some layers' keys, so no cache of this batch can be trusted.
            active.forEach(sequence -> sequence.fail(e));
            active.clear();
            return;
        }
        int vocab = logits.length / tokens.length;
        Iterator<Sequence> sequences = active.iterator();
        for (int i = 0; sequences.hasNext(); i++) {
            Sequence sequence = sequences.next();
            float[] row = Arrays.copyOfRange(logits, i * vocab, (i + 1) * vocab);
            try {
                if (sequence.accept(row)) {
                    sequences.remove();
                }
            } catch (RuntimeException e) {
                // A sink that throws ends its own request only.
                sequence.fail(e);
                sequences.remove();
            }
        }
    }

    private static EngineException terminated() {
        return new EngineException(EngineException.Kind.UNAVAILABLE, "The model was terminated");
    }
}
