package io.jinference.engine.llamacpp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import io.jinference.api.ProbeResult;
import io.jinference.api.SamplingParams;
import io.jinference.engine.support.OpenAiProxyModel;
import io.jinference.engine.support.testing.LoadRequests;
import io.jinference.engine.support.testing.ManagedServerScenario;
import io.jinference.engine.support.testing.RecordingSink;
import io.jinference.engine.support.testing.SupervisedEngineContext;
import io.jinference.testing.TinyGguf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server backend on the real {@code llama-server}: tiny GGUFs written by the project's writer (llama and qwen3
 * architectures) and SmolLM2, through the host's real process supervisor.
 */
final class LlamaServerEngineTest {
    private static final SamplingParams GREEDY_16 = new SamplingParams(16, 0.0, null, null, 1L, List.of(), null,
            Map.of());

    @TempDir
    Path home;

    private final LlamaServerEngine engine = new LlamaServerEngine();

    @Test
    void aTinyModelChatsStreamsSurvivesAKillAndStops() throws Exception {
        Path binary = RealLlamaServer.require();
        Path model = TinyGguf.builder().write(home.resolve("tiny.gguf"));
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            ProbeResult probe = engine.probe(context.host());
            assertThat(probe.available()).as(String.valueOf(probe.reason())).isTrue();
            assertThat(probe.runtime()).startsWith("llama-server b").contains(binary.toString());

            OpenAiProxyModel served = (OpenAiProxyModel) engine.load(LoadRequests.of("tiny-1", "ggufv2", "f32", model,
                    Map.of("n_parallel", 2, "max_restarts", 2), List.of()), context);
            assertThat(served.describe()).containsEntry("backend", "server").containsEntry("n_ctx", 256)
                    .containsEntry("n_ctx_total", 512).containsEntry("gguf_architecture", "llama");

            ManagedServerScenario.chats(served);
            ManagedServerScenario.survivesAKill(served, Duration.ofSeconds(120));
            ManagedServerScenario.stopsOnClose(served);
        }
    }

    /** The two short inputs that aborted the in-JVM engine's whole process (issue 9), one request each. */
    @Test
    void embeddingsOfShortInputsWithTheDefaultSlots() {
        RealLlamaServer.require();
        Map<String, Path> models = Map.of("tiny", TinyGguf.builder().write(home.resolve("tiny.gguf")),
                "smollm2", RealLlamaServer.smolLm2());
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            for (Map.Entry<String, Path> model : models.entrySet()) {
                OpenAiProxyModel served = (OpenAiProxyModel) engine.load(LoadRequests.of(model.getKey() + "-embed",
                        "ggufv2", "q4_1", model.getValue(), Map.of("embedding", true), List.of()), context);
                try {
                    float[] hi = served.embed(new EmbeddingRequest(List.of("hi"))).vectors().get(0);
                    float[] cat = served.embed(new EmbeddingRequest(List.of("cat"))).vectors().get(0);
                    assertThat(hi).as(model.getKey()).isNotEmpty().hasSameSizeAs(cat);
                    assertThat(cat).as(model.getKey()).isNotEqualTo(hi);
                } finally {
                    served.close();
                }
            }
        }
    }

    @Test
    void smolLm2KnowsTheCapitalOfFrance() {
        RealLlamaServer.require();
        Path smol = RealLlamaServer.smolLm2();
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            OpenAiProxyModel served = (OpenAiProxyModel) engine.load(LoadRequests.of("smol", "ggufv2", "q4_1", smol,
                    Map.of("n_ctx", 1024, "n_parallel", 1), List.of()), context);
            try {
                RecordingSink sink = new RecordingSink();
                // With a system message of its own: the GGUF's template otherwise inserts "You are a helpful AI
                // assistant named SmolLM, trained by Hugging Face", after which the 135M model greedily answers
                // "L'Étoile, la Marseillaise, …" (so does llama-server b11434 called directly; the in-JVM backend's
                // formatter leaves that default system prompt out).
                Generation answer = served.chat(new ChatRequest(List.of(
                        new ChatMessage("system", "You are a helpful assistant."),
                        new ChatMessage("user", "What is the capital of France?")), GREEDY_16), sink);

                assertThat(sink.text()).contains("Paris");
                assertThat(answer.usage().completionTokens()).isPositive();
            } finally {
                served.close();
            }
        }
    }

    @Test
    void aQwen3ModelChats() {
        RealLlamaServer.require();
        Path qwen3 = TinyGguf.builder().architecture("qwen3").name("tiny-qwen3").write(home.resolve("qwen3.gguf"));
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            OpenAiProxyModel served = (OpenAiProxyModel) engine.load(LoadRequests.of("tiny-qwen3", "ggufv2", "f32",
                    qwen3, Map.of("n_parallel", 1), List.of()), context);
            try {
                assertThat(served.describe()).containsEntry("gguf_architecture", "qwen3");
                ManagedServerScenario.chats(served);
            } finally {
                served.close();
            }
        }
    }

    @Test
    void aLaunchPinnedToTheInJvmBackendIsNotLoadedHere() {
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            assertThatThrownBy(() -> engine.load(LoadRequests.of("p", "ggufv2", "f32", home.resolve("any.gguf"),
                    Map.of("model_backend", "jvm"), List.of()), context)).isInstanceOf(EngineException.class)
                    .hasMessageStartingWith("The launch pins llama.cpp's 'jvm' backend (model_backend), but the"
                            + " llama-server backend (server) was asked to load it")
                    .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
        }
    }

    @Test
    void filesItCannotServeAreLoadErrorsWithTheReason() throws Exception {
        RealLlamaServer.require();
        Path unknown = TinyGguf.builder().architecture("nosucharch").write(home.resolve("unknown.gguf"));
        Path notGguf = Files.writeString(home.resolve("notes.gguf"), "not a model");
        try (SupervisedEngineContext context = new SupervisedEngineContext(home,
                SupervisedEngineContext.linuxCpuHost())) {
            assertThatThrownBy(() -> engine.load(LoadRequests.of("u", "ggufv2", "f32", unknown,
                    Map.of("max_restarts", 0, "launch_timeout", 60), List.of()), context))
                    .isInstanceOf(EngineException.class).hasMessageContaining("nosucharch");
            assertThatThrownBy(() -> engine.load(LoadRequests.of("n", "ggufv2", "f32", notGguf, Map.of(), List.of()),
                    context)).isInstanceOf(EngineException.class)
                    .hasMessageContaining("Not a valid GGUF model").hasMessageContaining("no GGUF magic");
        }
    }
}
