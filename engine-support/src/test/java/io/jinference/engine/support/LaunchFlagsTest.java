package io.jinference.engine.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

final class LaunchFlagsTest {

    @Test
    void everyUnhandledKeyBecomesAFlagInKeyOrder() {
        Map<String, Object> options = Map.of("max_num_seqs", 8, "enforce_eager", true, "disable_log_stats", false,
                "allowed_origins", List.of("a", "b"), "hf_overrides", Map.of("rope_theta", 1000),
                "dtype", "half", "n_gpu", 2, "launch_timeout", 30);

        assertThat(LaunchFlags.passThrough(options, Set.of("dtype"))).containsExactly(
                "--allowed-origins", "a", "b", "--enforce-eager", "--hf-overrides", "{\"rope_theta\":1000}",
                "--max-num-seqs", "8");
    }

    @Test
    void refusesAKeyThatCouldSmuggleArguments() {
        assertThatThrownBy(() -> LaunchFlags.passThrough(Map.of("x --evil", 1), Set.of()))
                .isInstanceOf(EngineException.class).hasMessageContaining("not a valid flag name");
    }
}
