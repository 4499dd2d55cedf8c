package io.jinference.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StreamResultTest {
    private static final long MS = 1_000_000L;

    @Test
    void decodeRateCountsTheTokensAfterTheFirstOverTheirSpan() {
        // first token at 100 ms, 11 tokens in all, the last one 1 s after the first: 10 tokens/s.
        StreamResult result = new StreamResult(0, 100 * MS, 1100 * MS, 1200 * MS, 9, 40, 11);

        assertThat(result.timeToFirstTokenMillis()).isCloseTo(100.0, within(1e-9));
        assertThat(result.completionTokens()).isEqualTo(11);
        assertThat(result.decodeTokensPerSecond()).hasValueCloseTo(10.0, within(1e-9));
    }

    @Test
    void withoutUsageTheContentChunksAreTheTokens() {
        StreamResult result = new StreamResult(0, 100 * MS, 600 * MS, 700 * MS, 6, -1, -1);

        assertThat(result.reportedUsage()).isFalse();
        assertThat(result.completionTokens()).isEqualTo(6);
        assertThat(result.decodeTokensPerSecond()).hasValueCloseTo(10.0, within(1e-9));
    }

    @Test
    void aSingleTokenHasNoDecodeRate() {
        assertThat(new StreamResult(0, 5 * MS, 5 * MS, 6 * MS, 1, 300, 1).decodeTokensPerSecond()).isEmpty();
    }
}
