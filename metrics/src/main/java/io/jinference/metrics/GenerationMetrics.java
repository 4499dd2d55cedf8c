package io.jinference.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per model ({@code model_uid}): requests in flight, time to first token, time per output token, prompt and
 * completion tokens, and errors by kind. Tokens per second is the rate of the completion token counter.
 */
final class GenerationMetrics {
    /** Time to first token: from a prompt cached on a GPU to a long prompt on a slow CPU. */
    private static final Duration[] TTFT_BUCKETS = seconds(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60);
    /** Time per output token: from a fast GPU to a large model on a CPU. */
    private static final Duration[] TPOT_BUCKETS = seconds(0.005, 0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    GenerationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void started(String uid) {
        inFlight(uid).incrementAndGet();
    }

    /** The request of {@code record} ended after {@code totalNanos}; {@code failed} when its status was an error. */
    void finished(RequestRecord record, long totalNanos, String failureKind) {
        String uid = record.model();
        if (uid == null) {
            return;
        }
        inFlight(uid).decrementAndGet();
        Tags model = Tags.of("model_uid", uid);
        if (failureKind != null) {
            Counter.builder("jinference.model.errors").description("Requests to the model that failed, by kind")
                    .tags(model).tag("kind", failureKind).register(registry).increment();
        }
        long ttft = record.timeToFirstTokenNanos();
        if (ttft >= 0) {
            Timer.builder("jinference.model.time.to.first.token")
                    .description("From the request's arrival to its first generated token leaving for the client")
                    .serviceLevelObjectives(TTFT_BUCKETS).tags(model).register(registry)
                    .record(ttft, TimeUnit.NANOSECONDS);
        }
        if (record.promptTokens() >= 0) {
            Counter.builder("jinference.model.prompt.tokens").description("Prompt tokens the engine processed")
                    .baseUnit("tokens").tags(model).register(registry).increment(record.promptTokens());
        }
        if (record.completionTokens() >= 0) {
            Counter.builder("jinference.model.completion.tokens").description("Tokens the engine generated")
                    .baseUnit("tokens").tags(model).register(registry).increment(record.completionTokens());
        }
        if (ttft >= 0 && record.completionTokens() > 1) {
            long perToken = (totalNanos - ttft) / (record.completionTokens() - 1);
            Timer.builder("jinference.model.time.per.output.token")
                    .description("Time between output tokens after the first, averaged over each request")
                    .serviceLevelObjectives(TPOT_BUCKETS).tags(model).register(registry)
                    .record(perToken, TimeUnit.NANOSECONDS);
        }
    }

    private AtomicInteger inFlight(String uid) {
        return inFlight.computeIfAbsent(uid, key -> registry.gauge("jinference.model.requests.in.flight",
                Tags.of("model_uid", key), new AtomicInteger()));
    }

    private static Duration[] seconds(double... values) {
        Duration[] durations = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            durations[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return durations;
    }
}
