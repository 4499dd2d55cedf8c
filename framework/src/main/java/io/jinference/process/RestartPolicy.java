package io.jinference.process;

import java.time.Duration;

/**
 * How often and how soon a child that died is started again: up to {@code maxRestarts} times, waiting
 * {@code backoff}, then twice as long each time, never longer than {@code maxBackoff}.
 */
record RestartPolicy(int maxRestarts, Duration backoff, Duration maxBackoff) {

    boolean allows(int restartsDone) {
        return restartsDone < maxRestarts;
    }

    /** The wait before restart number {@code restart} (1 for the first restart). */
    Duration delayBefore(int restart) {
        Duration delay = backoff;
        for (int i = 1; i < restart && delay.compareTo(maxBackoff) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
