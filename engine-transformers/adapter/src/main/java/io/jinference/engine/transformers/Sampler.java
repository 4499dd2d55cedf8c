package io.jinference.engine.transformers;

import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Picks the next token from float32 logits with transformers' processor order: repetition penalty, then (when
 * sampling) temperature, top-k and top-p. Temperature 0 means greedy. Before them, as vLLM applies OpenAI's
 * parameters: {@code logit_bias} is added, and the presence and frequency penalties are taken off each token this
 * sampler has already picked (the generated text, not the prompt), once and once per pick.
 */
final class Sampler {
    private final double temperature;
    private final double topP;
    private final int topK;
    private final double repetitionPenalty;
    private final Penalties penalties;
    private final Random random;
    /** How often each token id has been picked so far, for the presence and frequency penalties. */
    private final Map<Integer, Integer> picked = new HashMap<>();

    /** OpenAI's additive adjustments; zero and empty leave the logits as they are. */
    record Penalties(double presence, double frequency, Map<Integer, Double> logitBias) {
    }

    Sampler(double temperature, double topP, int topK, double repetitionPenalty, Penalties penalties, Long seed) {
        this.temperature = temperature;
        this.topP = topP;
        this.topK = topK;
        this.repetitionPenalty = repetitionPenalty;
        this.penalties = penalties;
        this.random = seed == null ? new Random() : new Random(seed);
    }

    boolean greedy() {
        return temperature <= 0;
    }

    /** Chooses a token; {@code seen} holds every prompt and generated token, for the repetition penalty. */
    int next(float[] logits, BitSet seen) {
        penalties.logitBias().forEach((id, bias) -> {
            if (id >= 0 && id < logits.length) {
                logits[id] += bias.floatValue();
            }
        });
        if (penalties.presence() != 0 || penalties.frequency() != 0) {
            picked.forEach((id, count) -> logits[id] -= (float) (penalties.presence() + penalties.frequency() * count));
        }
        if (repetitionPenalty != 1.0) {
            for (int id = seen.nextSetBit(0); id >= 0 && id < logits.length; id = seen.nextSetBit(id + 1)) {
                logits[id] = (float) (logits[id] < 0 ? logits[id] * repetitionPenalty : logits[id] / repetitionPenalty);
            }
        }
        int token = greedy() ? argMax(logits) : sample(logits);
        picked.merge(token, 1, Integer::sum);
        return token;
    }

    static int argMax(float[] logits) {
        int best = 0;
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best;
    }

    private int sample(float[] logits) {
        int[] order = byDescendingLogit(logits);
        int kept = topK > 0 ? Math.min(topK, order.length) : order.length;
        double max = logits[order[0]];
        double[] weights = new double[kept];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            weights[i] = Math.exp((logits[order[i]] - max) / temperature);
            total += weights[i];
        }
        if (topP < 1.0) {
            // Keep the most likely tokens until their probability mass reaches top_p (always at least one).
            double mass = 0;
            int cut = 0;
            while (cut < kept) {
                mass += weights[cut] / total;
                cut++;
                if (mass >= topP) {
                    break;
                }
            }
            kept = cut;
            total = 0;
            for (int i = 0; i < kept; i++) {
                total += weights[i];
            }
        }
        double target = random.nextDouble() * total;
        for (int i = 0; i < kept; i++) {
            target -= weights[i];
            if (target < 0) {
                return order[i];
            }
        }
        return order[kept - 1];
    }

    /** Token ids sorted by falling logit; ties keep the lower id first. */
    private static int[] byDescendingLogit(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            // Map float order to signed int order, then negate so that Arrays.sort gives descending logits.
            int ordered = bits >= 0 ? bits : bits ^ 0x7fffffff;
            keys[i] = ((long) -(long) ordered << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
