package io.jinference.process;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Polls a child's health URL. A 2xx answer means ready; 503, any other status and a refused connection mean
 * "not yet" (servers such as vLLM bind their port only after loading, SGLang answers 503 while warming up).
 */
final class ReadinessProbe {
    enum Outcome { READY, DIED, TIMED_OUT }

    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);

    private final HttpClient http;
    private final Duration requestTimeout;

    ReadinessProbe(HttpClient http, Duration requestTimeout) {
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** Polls until the URL answers 2xx, {@code alive} turns false, or the deadline passes. */
    Outcome await(URI url, Instant deadline, BooleanSupplier alive) throws InterruptedException {
        while (Instant.now().isBefore(deadline)) {
            if (!alive.getAsBoolean()) {
                return Outcome.DIED;
            }
            if (check(url).isEmpty()) {
                return Outcome.READY;
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        return Outcome.TIMED_OUT;
    }

    /** One health check: empty when the URL answered 2xx, otherwise what went wrong. */
    Optional<String> check(URI url) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status / 100 == 2 ? Optional.empty() : Optional.of(url + " answered HTTP " + status);
        } catch (IOException e) {
            return Optional.of(url + " did not answer (" + e.getClass().getSimpleName() + ")");
        }
    }
}
