package io.jinference.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.ProbeResult;
import io.jinference.api.SamplingParams;
import io.jinference.api.Usage;
import io.jinference.api.process.ManagedProcess;
import io.jinference.engine.support.OpenAiProxyModel;
import io.jinference.engine.support.testing.LoadRequests;
import io.jinference.engine.support.testing.RecordingSink;
import io.jinference.engine.support.testing.SupervisedEngineContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SGLang engine end to end against {@link StandInSglangServer} (SGLang itself needs CUDA): the real command
 * builder starts the stand-in through the real supervisor, readiness waits through its 503 warm-up, and the real
 * proxy streams its SSE.
 */
final class SglangEngineTest {
    @TempDir
    static Path dir;

    private static SupervisedEngineContext context;
    private static OpenAiProxyModel model;
    private static final SglangEngine ENGINE = new SglangEngine();

    @BeforeAll
    static void launch() throws Exception {
        System.setProperty("jinference.python.sglang", StandInSglangServer.install(dir.resolve("stand-in")).toString());
        context = new SupervisedEngineContext(dir.resolve("home"), SupervisedEngineContext.linuxCpuHost());
        model = (OpenAiProxyModel) ENGINE.load(LoadRequests.of("sglang-uid", "pytorch", "none", dir.resolve("weights"),
                Map.of("enable_metrics", true), List.of()), context);
    }

    @AfterAll
    static void stop() {
        context.close();
        System.clearProperty("jinference.python.sglang");
    }

    @Test
    void probeFindsTheInstalledSglang() {
        ProbeResult result = ENGINE.probe(context.host());

        assertThat(result.available()).isTrue();
        assertThat(result.runtime()).contains("sglang " + StandInSglangServer.VERSION);
    }

    @Test
    void loadWaitedThroughTheWarmUpAndPassedTheFlags() {
        assertThat(model.process().state()).isEqualTo(ManagedProcess.State.READY);
        assertThat(model.process().lastLogLines(200))
                .anyMatch(line -> line.contains("GET /health") && line.contains("503"))
                .anyMatch(line -> line.contains("serving") && line.contains("as sglang-uid")
                        && line.contains("--enable-metrics"));
        assertThat(model.describe()).containsEntry("engine", "SGLang").containsKey("server_url");
        assertThat((List<?>) model.describe().get("recent_log")).as("the server's log, visible in the description")
                .isNotEmpty();
    }

    @Test
    void chatStreamsChunkByChunkUnderTheServedModelName() {
        RecordingSink sink = new RecordingSink();

        Generation generation = model.chat(chat("Hi", SamplingParams.defaults()), sink);

        assertThat(sink.chunks()).containsExactly("Hello", " from", " the", " stand-in", " SGLang", " server", ".");
        assertThat(generation.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(generation.usage()).isEqualTo(new Usage(5, 7));
        assertThat(model.process().lastLogLines(50)).anyMatch(line -> line.contains("model=sglang-uid"));
    }

    @Test
    void completionsAndEmbeddingsAreForwarded() {
        RecordingSink sink = new RecordingSink();
        SamplingParams two = new SamplingParams(2, null, null, null, null, List.of(), null, Map.of());

        Generation generation = model.complete(new CompletionRequest("Once", two), sink);
        Embeddings embeddings = model.embed(new EmbeddingRequest(List.of("abc", "hello")));

        assertThat(sink.text()).isEqualTo("Hello from");
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(embeddings.vectors()).hasSize(2);
        assertThat(embeddings.vectors().get(1)).containsExactly(5f, 0.5f, -1f);
        assertThat(embeddings.promptTokens()).isEqualTo(4);
    }

    @Test
    void aClientThatGoesAwayCancelsTheUpstreamRequest() throws Exception {
        RecordingSink sink = new RecordingSink(3);

        Generation generation = model.chat(chat("slow", SamplingParams.defaults()), sink);

        assertThat(generation.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(sink.chunks()).hasSize(3);
        assertThat(eventually(Duration.ofSeconds(5), () -> model.process().lastLogLines(50).stream()
                .anyMatch(line -> line.contains("client went away")))).isTrue();
    }

    @Test
    void anUpstreamValidationErrorIsABadRequest() {
        SamplingParams none = new SamplingParams(0, null, null, null, null, List.of(), null, Map.of());

        assertThatThrownBy(() -> model.chat(chat("Hi", none), new RecordingSink()))
                .isInstanceOf(EngineException.class).hasMessageContaining("max_tokens must be at least 1")
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
    }

    @Test
    void aDeadServerIsRefusedAtOnceThenRelaunched() throws Exception {
        try (OpenAiProxyModel second = (OpenAiProxyModel) ENGINE.load(LoadRequests.of("sglang-restart", "pytorch",
                "none", dir.resolve("weights"), Map.of(), List.of()), context)) {
            ProcessHandle.of(second.process().pid()).orElseThrow().destroyForcibly();

            assertThat(eventually(Duration.ofMillis(1500),
                    () -> second.process().state() != ManagedProcess.State.READY)).isTrue();
            assertThatThrownBy(() -> second.chat(chat("Hi", SamplingParams.defaults()), new RecordingSink()))
                    .isInstanceOf(EngineException.class).hasMessageContaining("is not serving")
                    .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.UNAVAILABLE);
            assertThat(eventually(Duration.ofSeconds(20), () -> second.process().generation() == 2
                    && second.process().state() == ManagedProcess.State.READY)).isTrue();
            assertThat(second.process().failure()).contains("exited with code 137");

            RecordingSink sink = new RecordingSink();
            second.chat(chat("Hi", SamplingParams.defaults()), sink);
            assertThat(sink.text()).isEqualTo("Hello from the stand-in SGLang server.");
        }
    }

    private static ChatRequest chat(String text, SamplingParams sampling) {
        return new ChatRequest(List.of(new ChatMessage("user", text)), sampling);
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
