package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continuous batching on the transformers-made tiny Llama: requests that run in one batch get exactly what each gets
 * alone, one cancelled stream leaves the others whole, and closing the model ends them all. The requests are made to
 * share a batch without timing: a first request's sink holds the scheduler (inside its step) until the others are
 * queued, so they all join at the next step.
 */
class BatchingTest {
    private static final List<String> PROMPTS = List.of("<s>Hello world! The sky", "<s>Once upon a time",
            "<s>The quick brown fox jumps", "<s>abc");

    @TempDir
    Path home;
    private TransformersEngine engine;
    private RunningModel model;
    private ExecutorService pool;

    @BeforeEach
    void load() {
        engine = new TransformersEngine(home);
        model = engine.load(TransformersModelTest.request(ReferenceCheckpoints.folder("llama"), Map.of()),
                new JinjavaContext(home));
        pool = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() {
        pool.shutdownNow();
        model.close();
        engine.close();
    }

    /** Greedy to max_tokens past the end-of-sequence token, so that every request runs many steps. */
    private static SamplingParams greedy(int maxTokens) {
        return new SamplingParams(maxTokens, 0.0, null, null, null, List.of(), null, Map.of("ignore_eos", true));
    }

    @Test
    void batchedGreedyRequestsGetWhatEachGetsAlone() throws Exception {
        List<String> alone = new ArrayList<>();
        for (int i = 0; i < PROMPTS.size(); i++) {
            RecordingSink sink = new RecordingSink();
            model.complete(new CompletionRequest(PROMPTS.get(i), greedy(24 + 8 * i)), sink);
            alone.add(sink.text());
        }
        List<Thread> callers = new ArrayList<>();
        List<Future<String>> batched = new ArrayList<>();
        Future<Generation> gate = pool.submit(() -> model.complete(new CompletionRequest(PROMPTS.get(0), greedy(40)),
                new GateSink(callers, PROMPTS.size())));
        for (int i = 0; i < PROMPTS.size(); i++) {
            CompletionRequest request = new CompletionRequest(PROMPTS.get(i), greedy(24 + 8 * i));
            batched.add(pool.submit(() -> {
                register(callers);
                RecordingSink sink = new RecordingSink();
                Generation generation = model.complete(request, sink);
                assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
                assertThat(generation.usage().completionTokens()).isEqualTo(request.sampling().maxTokens());
                return sink.text();
            }));
        }
        for (int i = 0; i < PROMPTS.size(); i++) {
            assertThat(batched.get(i).get()).as("request %d in a batch", i).isEqualTo(alone.get(i));
        }
        assertThat(gate.get().usage().completionTokens()).isEqualTo(40);
    }

    @Test
    void cancellingOneStreamLeavesTheOthersComplete() throws Exception {
        RecordingSink full = new RecordingSink();
        model.complete(new CompletionRequest(PROMPTS.get(0), greedy(32)), full);
        List<Thread> callers = new ArrayList<>();
        Future<Generation> gate = pool.submit(() -> model.complete(new CompletionRequest(PROMPTS.get(1), greedy(32)),
                new GateSink(callers, 3)));
        List<RecordingSink> sinks = List.of(new RecordingSink(), new RecordingSink(3), new RecordingSink());
        List<Future<Generation>> generations = new ArrayList<>();
        for (RecordingSink sink : sinks) {
            generations.add(pool.submit(() -> {
                register(callers);
                return model.complete(new CompletionRequest(PROMPTS.get(0), greedy(32)), sink);
            }));
        }
        assertThat(generations.get(1).get().finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(generations.get(1).get().usage().completionTokens()).isLessThan(32);
        for (int i : new int[] {0, 2}) {
            assertThat(generations.get(i).get().finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(sinks.get(i).text()).isEqualTo(full.text());
        }
        assertThat(gate.get().finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void closingTheModelEndsEveryRequestOfTheBatch() throws Exception {
        AtomicReference<Thread> closer = new AtomicReference<>();
        List<Thread> callers = new ArrayList<>();
        List<RecordingSink> others = List.of(new RecordingSink(), new RecordingSink());
        List<Future<Generation>> generations = new ArrayList<>();
        ClosingSink closing = new ClosingSink(callers, others, closer);
        generations.add(pool.submit(() -> model.complete(new CompletionRequest(PROMPTS.get(1), greedy(200)), closing)));
        for (RecordingSink sink : others) {
            generations.add(pool.submit(() -> {
                register(callers);
                return model.complete(new CompletionRequest(PROMPTS.get(2), greedy(200)), sink);
            }));
        }
        for (Future<Generation> generation : generations) {
            assertThatThrownBy(generation::get).isInstanceOf(ExecutionException.class).cause()
                    .isInstanceOf(EngineException.class)
                    .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.UNAVAILABLE);
        }
        closer.get().join();
        assertThatThrownBy(() -> model.complete(new CompletionRequest(PROMPTS.get(0), greedy(4)), new RecordingSink()))
                .isInstanceOf(EngineException.class)
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.UNAVAILABLE);
    }

    private static void register(List<Thread> callers) {
        synchronized (callers) {
            callers.add(Thread.currentThread());
        }
    }

    /** True once every registered caller waits for its answer (its request is queued). */
    private static boolean allWaiting(List<Thread> callers, int expected) {
        synchronized (callers) {
            return callers.size() == expected
                    && callers.stream().allMatch(thread -> thread.getState() == Thread.State.WAITING);
        }
    }

    /** Holds the scheduler in its first delivered text until {@code expected} callers' requests are queued. */
    private static class GateSink extends RecordingSink {
        private final List<Thread> callers;
        private final int expected;

        GateSink(List<Thread> callers, int expected) {
            this.callers = callers;
            this.expected = expected;
        }

        @Override
        public void onText(String delta) {
            if (deltas.isEmpty()) {
                while (!allWaiting(callers, expected)) {
                    Thread.onSpinWait();
                }
            }
            super.onText(delta);
        }
    }

    /**
     * A gate that, once every other request of the batch has streamed text, closes the model from another thread and
     * holds the scheduler until that close waits for it, so that the close lands in the middle of the batch.
     */
    private final class ClosingSink extends GateSink {
        private final List<RecordingSink> others;
        private final AtomicReference<Thread> closer;

        ClosingSink(List<Thread> callers, List<RecordingSink> others, AtomicReference<Thread> closer) {
            super(callers, others.size());
            this.others = others;
            this.closer = closer;
        }

        @Override
        public void onText(String delta) {
            super.onText(delta);
            if (closer.get() == null && others.stream().noneMatch(sink -> sink.deltas.isEmpty())) {
                Thread thread = new Thread(model::close, "closer");
                closer.set(thread);
                thread.start();
                while (thread.getState() != Thread.State.WAITING && thread.isAlive()) {
                    Thread.onSpinWait();
                }
            }
        }
    }
}
