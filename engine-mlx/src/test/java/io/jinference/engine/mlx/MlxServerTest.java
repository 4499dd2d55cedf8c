package io.jinference.engine.mlx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jinference.api.ProbeResult;
import io.jinference.engine.support.OpenAiProxyModel;
import io.jinference.engine.support.testing.LoadRequests;
import io.jinference.engine.support.testing.ManagedServerScenario;
import io.jinference.engine.support.testing.RealEngineEnvironment;
import io.jinference.engine.support.testing.SupervisedEngineContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real mlx_lm server (mlx-cpu on Linux) on a tiny random Llama converted to MLX, through the MLX engine. */
final class MlxServerTest {
    @TempDir
    Path home;

    @Test
    void servesAndSurvivesAKillOnLinux() throws Exception {
        RealEngineEnvironment.assumeRequested();
        Optional<Path> python = RealEngineEnvironment.python("mlx-cpu");
        Optional<Path> weights = RealEngineEnvironment.model("tiny-llama-mlx");
        assumeTrue(python.isPresent(), RealEngineEnvironment.missing("The mlx-cpu Python environment"));
        assumeTrue(weights.isPresent(), RealEngineEnvironment.missing("The tiny MLX model"));
        System.setProperty("jinference.python.mlx", python.get().toString());
        MlxEngine engine = new MlxEngine();
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            ProbeResult probe = engine.probe(context.host());
            assertThat(probe.available()).as(String.valueOf(probe.reason())).isTrue();
            assertThat(probe.note()).contains("MLX build for Linux");

            OpenAiProxyModel model = (OpenAiProxyModel) engine.load(LoadRequests.of("tiny-mlx", "mlx", "none",
                    weights.get(), Map.of("launch_timeout", 120, "max_restarts", 1), List.of()), context);

            ManagedServerScenario.chats(model);
            ManagedServerScenario.survivesAKill(model, Duration.ofSeconds(120));
            ManagedServerScenario.stopsOnClose(model);
        } finally {
            System.clearProperty("jinference.python.mlx");
        }
    }
}
