package io.jinference.cluster;

import java.util.Arrays;
import java.util.Locale;

/**
 * How the scheduler scores the workers a model fits on. Spread keeps the most memory free on each worker (a lost
 * worker takes fewer models with it, and models do not compete for one host's cores); binpack fills one worker
 * before the next (larger models still find a worker with room later).
 */
public enum PlacementStrategy {
    SPREAD,
    BINPACK;

    /** The strategy a launch names by {@code placement_strategy}; spread when it names none. */
    public static PlacementStrategy of(Object name) {
        if (name == null) {
            return SPREAD;
        }
        return Arrays.stream(values()).filter(strategy -> strategy.label().equals(name.toString().trim()
                .toLowerCase(Locale.ROOT))).findFirst().orElseThrow(() -> new IllegalArgumentException(
                        "placement_strategy must be spread or binpack, got '" + name + "'"));
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a worker that would keep {@code left} bytes free beats one that would keep {@code bestLeft}. */
    boolean better(long left, long bestLeft) {
        return this == SPREAD ? left > bestLeft : left < bestLeft;
    }
}
