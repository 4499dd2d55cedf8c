package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.BitSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** OpenAI's logit_bias and presence/frequency penalties on the in-JVM sampler, greedy so that the pick is known. */
final class SamplerTest {
    private static final double GREEDY = 0;

    @Test
    void logitBiasMovesTheGreedyPick() {
        Sampler biased = new Sampler(GREEDY, 1, 0, 1, new Sampler.Penalties(0, 0, Map.of(2, 5.0, 0, -100.0)), 7L);
        assertThat(biased.next(new float[] {3, 1, 0}, new BitSet())).isEqualTo(2);
        Sampler banned = new Sampler(GREEDY, 1, 0, 1, new Sampler.Penalties(0, 0, Map.of(0, -100.0)), 7L);
        assertThat(banned.next(new float[] {3, 1, 0}, new BitSet())).isEqualTo(1);
    }

    @Test
    void presencePenaltyCountsATokenOnceAndFrequencyPenaltyEachTime() {
        // token 0 leads by 1.5: with a presence penalty of 1 it still leads by 0.5 however often it was picked; with a
        // frequency penalty of 1 it falls behind after its second pick
        Sampler presence = new Sampler(GREEDY, 1, 0, 1, new Sampler.Penalties(1, 0, Map.of()), 7L);
        assertThat(presence.next(new float[] {2.5f, 1}, new BitSet())).isZero();
        assertThat(presence.next(new float[] {2.5f, 1}, new BitSet())).isZero();
        assertThat(presence.next(new float[] {2.5f, 1}, new BitSet())).isZero();

        Sampler frequency = new Sampler(GREEDY, 1, 0, 1, new Sampler.Penalties(0, 1, Map.of()), 7L);
        assertThat(frequency.next(new float[] {2.5f, 1}, new BitSet())).isZero();
        assertThat(frequency.next(new float[] {2.5f, 1}, new BitSet())).isZero();
        assertThat(frequency.next(new float[] {2.5f, 1}, new BitSet())).isEqualTo(1);
    }

    @Test
    void noPenaltiesLeaveTheLogitsAsTheyAre() {
        Sampler plain = new Sampler(GREEDY, 1, 0, 1, new Sampler.Penalties(0, 0, Map.of()), 7L);
        float[] logits = {0.25f, 2, 1};
        assertThat(plain.next(logits, new BitSet())).isEqualTo(1);
        assertThat(logits).containsExactly(0.25f, 2, 1);
    }
}
