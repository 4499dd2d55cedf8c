package io.jinference.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

final class RestartPolicyTest {
    private final RestartPolicy policy = new RestartPolicy(3, Duration.ofSeconds(1), Duration.ofSeconds(5));

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(policy.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.delayBefore(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.delayBefore(4)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void allowsOnlyMaxRestarts() {
        assertThat(policy.allows(2)).isTrue();
        assertThat(policy.allows(3)).isFalse();
    }
}
