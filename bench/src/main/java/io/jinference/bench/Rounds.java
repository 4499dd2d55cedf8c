package io.jinference.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** One measuring round against one server: prefill, one decoding stream, then concurrent decoding streams. */
final class Rounds {
    private final ChatStreams streams;
    private final BenchOptions options;

    Rounds(ChatStreams streams, BenchOptions options) {
        this.streams = streams;
        this.options = options;
    }

    /** A short untimed request, so that first-use costs (JIT, caches, page faults) stay out of the figures. */
    void warmUp(Target target) throws IOException, InterruptedException {
        streams.stream(target, Prompts.story(-1), 16, 1);
    }

    RoundFigures measure(Target target, int round) throws IOException, InterruptedException {
        long seed = 1000L * round;
        String prefillPrompt = Prompts.prefill(options.prefillWords(), seed);
        StreamResult prefill = streams.stream(target, prefillPrompt, 1, seed);
        int promptTokens = prefill.promptTokens() > 0 ? prefill.promptTokens()
                : streams.promptTokens(target, prefillPrompt);

        StreamResult single = streams.stream(target, Prompts.story(seed), options.decodeTokens(), seed);

        List<StreamResult> concurrent = concurrentStreams(target, seed);
        long start = concurrent.stream().mapToLong(StreamResult::sentNanos).min().orElseThrow();
        long end = concurrent.stream().mapToLong(StreamResult::doneNanos).max().orElseThrow();
        int tokens = concurrent.stream().mapToInt(StreamResult::completionTokens).sum();

        return new RoundFigures(
                promptTokens / (prefill.timeToFirstTokenMillis() / 1e3), promptTokens,
                single.timeToFirstTokenMillis(), single.decodeTokensPerSecond().orElse(Double.NaN),
                single.completionTokens(), tokens / ((end - start) / 1e9), tokens,
                single.reportedUsage() && concurrent.stream().allMatch(StreamResult::reportedUsage));
    }

    private List<StreamResult> concurrentStreams(Target target, long seed) throws IOException, InterruptedException {
        int count = options.concurrentStreams();
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            List<Future<StreamResult>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                long streamSeed = seed + 1 + i;
                pending.add(pool.submit(() -> streams.stream(target, Prompts.story(streamSeed),
                        options.decodeTokens(), streamSeed)));
            }
            List<StreamResult> results = new ArrayList<>();
            for (Future<StreamResult> future : pending) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IOException("a concurrent stream failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
