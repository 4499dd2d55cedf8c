package io.jinference.metrics;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What one HTTP request did, filled in as it runs: its id, the route it matched, the model it used, when the first
 * token left, how many tokens went in and out, and the kind of error that ended it. {@link ServerMetrics#finish}
 * turns it into metrics and a request log line.
 */
public final class RequestRecord {
    private final String id;
    private final String method;
    private final long startNanos = System.nanoTime();
    private final AtomicBoolean modelCounted = new AtomicBoolean();
    private volatile String model;
    private volatile long firstTokenNanos = -1;
    private volatile int promptTokens = -1;
    private volatile int completionTokens = -1;
    private volatile String errorKind;
    private final GenerationMetrics generation;

    RequestRecord(String id, String method, GenerationMetrics generation) {
        this.id = id;
        this.method = method;
        this.generation = generation;
    }

    /** A record that counts nothing, for code run outside an observed request. */
    public static RequestRecord detached() {
        return new RequestRecord(RequestIds.generate(), "", null);
    }

    public String id() {
        return id;
    }

    public String method() {
        return method;
    }

    /** The model this request uses; counted as one request in flight on it until the request ends. */
    public void model(String uid) {
        if (uid == null || !modelCounted.compareAndSet(false, true)) {
            return;
        }
        model = uid;
        if (generation != null) {
            generation.started(uid);
        }
    }

    public String model() {
        return model;
    }

    /** The first generated token (or text) left for the client; later calls change nothing. */
    public void firstToken() {
        if (firstTokenNanos < 0) {
            firstTokenNanos = System.nanoTime();
        }
    }

    /** Token counts as the engine reported them; a negative count is unknown. */
    public void usage(int prompt, int completion) {
        promptTokens = prompt;
        completionTokens = completion;
    }

    /** Why the request failed (e.g. {@code model_terminated}, {@code unavailable}); the first kind given stays. */
    public void error(String kind) {
        if (errorKind == null) {
            errorKind = kind;
        }
    }

    String errorKind() {
        return errorKind;
    }

    int promptTokens() {
        return promptTokens;
    }

    int completionTokens() {
        return completionTokens;
    }

    long startNanos() {
        return startNanos;
    }

    /** Nanoseconds from the request's start to its first token; -1 when none was sent. */
    long timeToFirstTokenNanos() {
        long first = firstTokenNanos;
        return first < 0 ? -1 : first - startNanos;
    }

    long firstTokenNanos() {
        return firstTokenNanos;
    }
}
