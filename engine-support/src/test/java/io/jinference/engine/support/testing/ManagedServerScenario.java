package io.jinference.engine.support.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.SamplingParams;
import io.jinference.api.process.ManagedProcess;
import io.jinference.engine.support.OpenAiProxyModel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The scenario every real managed engine server must pass (vLLM CPU, mlx_lm on Linux): chat, streamed chunk by
 * chunk; killed by hand → marked failed and refused at once; relaunched by the restart policy; stopped on close.
 */
public final class ManagedServerScenario {
    private static final SamplingParams EIGHT_TOKENS = new SamplingParams(8, 0.0, null, null, 1L, List.of(), null,
            Map.of("ignore_eos", true));

    private ManagedServerScenario() {
    }

    /** Chat generates eight tokens, streamed in several chunks, with usage. */
    public static void chats(OpenAiProxyModel model) {
        RecordingSink sink = new RecordingSink();

        Generation generation = model.chat(hello(), sink);

        assertThat(sink.chunks()).as("streamed chunk by chunk").hasSizeGreaterThan(1);
        assertThat(generation.usage().completionTokens()).isEqualTo(8);
        assertThat(generation.usage().promptTokens()).isPositive();
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
    }

    /** A hard kill of the engine process: failed and refused at once, relaunched, serving again. */
    public static void survivesAKill(OpenAiProxyModel model, Duration relaunchTimeout) throws InterruptedException {
        ManagedProcess process = model.process();
        long pid = process.pid();
        assertThat(pid).isPositive();

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        assertThat(eventually(Duration.ofMillis(1500), () -> process.state() != ManagedProcess.State.READY))
                .as("death noticed within the watchdog's 1 s poll").isTrue();
        assertThatThrownBy(() -> model.chat(hello(), new RecordingSink())).isInstanceOf(EngineException.class)
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.UNAVAILABLE);
        assertThat(process.failure()).contains("exited with code 137");

        assertThat(eventually(relaunchTimeout, () -> process.state() == ManagedProcess.State.READY))
                .as("relaunched by the restart policy").isTrue();
        assertThat(process.generation()).isEqualTo(2);
        assertThat(process.pid()).isNotEqualTo(pid);
        chats(model);
    }

    /** Closing the model stops its server. */
    public static void stopsOnClose(OpenAiProxyModel model) throws InterruptedException {
        long pid = model.process().pid();
        model.close();
        assertThat(eventually(Duration.ofSeconds(15), () -> ProcessHandle.of(pid).isEmpty()
                || !ProcessHandle.of(pid).get().isAlive())).isTrue();
        assertThat(model.process().state()).isEqualTo(ManagedProcess.State.STOPPED);
    }

    private static ChatRequest hello() {
        return new ChatRequest(List.of(new ChatMessage("user", "Hello, who are you?")), EIGHT_TOKENS);
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
