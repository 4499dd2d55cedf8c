package io.jinference.engine.llamacpp;

import static io.jinference.engine.llamacpp.Models.chat;
import static io.jinference.engine.llamacpp.Models.complete;
import static io.jinference.engine.llamacpp.Models.greedy;
import static io.jinference.engine.llamacpp.Models.load;
import static io.jinference.engine.llamacpp.Models.sampling;
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
import io.jinference.api.RunningModel;
import io.jinference.engine.llamacpp.Models.Recorded;
import io.jinference.engine.llamacpp.Models.Recorder;
import io.jinference.testing.RenderingEngineContext;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine outside OSGi, on the tiny generated GGUF (random weights: its text is noise, but deterministic). */
class LlamaCppEngineTest {

    @TempDir
    static Path dir;

    static LlamaCppEngine engine;
    static RenderingEngineContext context;
    /** ChatML template embedded in the file, 4 slots of 512 tokens. */
    static RunningModel model;

    @BeforeAll
    static void loadTinyModel() {
        engine = new LlamaCppEngine(dir.resolve("native"));
        context = new RenderingEngineContext(dir);
        Path file = TinyGguf.builder().contextLength(2048).chatTemplate(Models.CHAT_ML).write(dir.resolve("chat.gguf"));
        model = engine.load(load(file, null, Map.of("n_ctx", 512, "n_parallel", 4, "n_threads", 2)), context);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @Test
    void probeFindsTheNativeRuntime() {
        ProbeResult probe = engine.probe(context.host());

        assertThat(probe.available()).as(String.valueOf(probe.reason())).isTrue();
        assertThat(probe.runtime()).contains("llama.cpp b4916");
    }

    @Test
    void chatStreamsTokensUntilMaxTokensAndReportsLength() {
        Recorded result = chat(model, chat("Hello there", greedy(16)));

        assertThat(result.deltas()).hasSizeGreaterThan(1);
        assertThat(result.generation().finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(result.generation().usage().completionTokens()).isEqualTo(16);
        assertThat(result.generation().usage().promptTokens()).isGreaterThan(20);
    }

    @Test
    void chatRendersTheGgufTemplateBeforeCompleting() {
        String rendered = "<|im_start|>user\nHello there<|im_end|>\n<|im_start|>assistant\n";

        Recorded viaChat = chat(model, chat("Hello there", greedy(12)));
        Recorded viaPrompt = complete(model, rendered, greedy(12));

        assertThat(viaChat.text()).isEqualTo(viaPrompt.text());
        assertThat(viaChat.generation()).isEqualTo(viaPrompt.generation());
        assertThat(model.describe()).containsEntry("chat_template", "gguf_llamacpp").containsEntry("n_ctx", 512)
                .containsEntry("n_parallel", 4).containsEntry("gguf_architecture", "llama");
    }

    @Test
    void aGgufTemplateLlamaCppDoesNotImplementIsRenderedFromItsJinjaSource() {
        String bracketed = "{% for m in messages %}[{{ m.role }}] {{ m.content }}\n{% endfor %}[assistant]";
        Path file = TinyGguf.builder().chatTemplate(bracketed).write(dir.resolve("bracketed.gguf"));
        try (RunningModel custom = engine.load(load(file, null, Map.of("n_ctx", 256, "n_parallel", 1)), context)) {
            Recorded viaChat = chat(custom, chat("Hi", greedy(6)));
            Recorded viaPrompt = complete(custom, "[user] Hi\n[assistant]", greedy(6));

            assertThat(viaChat.text()).isEqualTo(viaPrompt.text());
            assertThat(viaChat.generation()).isEqualTo(viaPrompt.generation());
            assertThat(custom.describe()).containsEntry("chat_template", "gguf");
        }
    }

    @Test
    void theSameSeedGivesTheSameSampledText() {
        Recorded first = complete(model, "Once upon a time", sampling(24, 1.0, 1234L, List.of()));
        Recorded second = complete(model, "Once upon a time", sampling(24, 1.0, 1234L, List.of()));

        assertThat(first.text()).isNotEmpty().isEqualTo(second.text());
    }

    @Test
    void aStopStringEndsTheGenerationBeforeIt() {
        String free = complete(model, "Stop test", sampling(48, 1.0, 99L, List.of())).text();
        String stop = asciiStopString(free);

        Recorded stopped = complete(model, "Stop test", sampling(48, 1.0, 99L, List.of(stop)));

        assertThat(stopped.text()).isEqualTo(free.substring(0, free.indexOf(stop)));
        assertThat(stopped.generation().finishReason()).isEqualTo(FinishReason.STOP);
    }

    @Test
    void familyStopStringsApplyToo() {
        Path file = TinyGguf.builder().write(dir.resolve("family-stop.gguf"));
        String free = complete(model, "Stop test", sampling(48, 1.0, 99L, List.of())).text();
        String stop = asciiStopString(free);
        try (RunningModel withFamily = engine.load(load(file, Models.family("tiny", Models.CHAT_ML, List.of(stop)),
                Map.of("n_ctx", 512, "n_parallel", 1)), context)) {
            // the same weights (seed 42) and sampling seed as the shared model, so the same text up to the stop
            Recorded stopped = complete(withFamily, "Stop test", sampling(48, 1.0, 99L, List.of()));

            assertThat(stopped.generation().finishReason()).isEqualTo(FinishReason.STOP);
            assertThat(stopped.text()).isEqualTo(free.substring(0, free.indexOf(stop)));
            assertThat(withFamily.describe()).containsEntry("chat_template", "family");
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void cancellingFreesTheOnlySlotForTheNextRequest() {
        Path file = TinyGguf.builder().contextLength(16384).write(dir.resolve("cancel.gguf"));
        try (RunningModel serial = engine.load(load(file, null, Map.of("n_ctx", 16384, "n_parallel", 1)), context)) {
            Recorder cancelling = new Recorder(count -> count >= 3);
            Generation cancelled = serial.complete(new CompletionRequest("Long story", greedy(16000)), cancelling);

            Recorded next = complete(serial, "Short story", greedy(8));

            assertThat(cancelled.finishReason()).isEqualTo(FinishReason.CANCELLED);
            assertThat(cancelling.deltas).hasSize(3);
            assertThat(next.generation().finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(next.generation().usage().completionTokens()).isEqualTo(8);
        }
    }

    @Test
    void eightConcurrentChatsAllCompleteWithTheirOwnText() throws Exception {
        List<ChatRequest> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(chat("Request number " + i + " " + "x".repeat(i), sampling(24, 0.9, 1000L + i, List.of())));
        }
        List<String> sequential = new ArrayList<>();
        for (ChatRequest request : requests) {
            sequential.add(chat(model, request).text());
        }

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Recorded>> futures = new ArrayList<>();
            for (ChatRequest request : requests) {
                futures.add(pool.submit(() -> chat(model, request)));
            }
            for (int i = 0; i < 8; i++) {
                Recorded result = futures.get(i).get(60, TimeUnit.SECONDS);
                assertThat(result.generation().usage().completionTokens()).isPositive();
                assertThat(result.text()).as("request %d", i).isEqualTo(sequential.get(i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aPromptLongerThanTheContextIsAnInvalidRequest() {
        assertThatThrownBy(() -> complete(model, "word ".repeat(200), greedy(4)))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST))
                .hasMessageContaining("n_ctx");
    }

    @Test
    void embeddingsNeedTheEmbeddingOption() {
        assertThatThrownBy(() -> model.embed(new EmbeddingRequest(List.of("hi"))))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.UNSUPPORTED));

        Path file = TinyGguf.builder().write(dir.resolve("embed.gguf"));
        try (RunningModel embedder = engine.load(load(file, null, Map.of("embedding", true, "n_ctx", 256)), context)) {
            Embeddings embeddings = embedder.embed(new EmbeddingRequest(List.of("hello", "a different text")));

            assertThat(embeddings.vectors()).hasSize(2);
            assertThat(embeddings.vectors().get(0)).hasSize(TinyGguf.EMBEDDING_LENGTH);
            assertThat(embeddings.vectors().get(0)).isNotEqualTo(embeddings.vectors().get(1));
            assertThat(embeddings.promptTokens()).isEqualTo(5 + 16);
        }
    }

    @Test
    void aClosedModelRefusesRequestsAndClosesTwiceSafely() {
        Path file = TinyGguf.builder().write(dir.resolve("closing.gguf"));
        RunningModel closing = engine.load(load(file, null, Map.of("n_ctx", 256, "n_parallel", 1)), context);
        closing.close();
        closing.close();

        assertThatThrownBy(() -> complete(closing, "hi", greedy(2)))
                .isInstanceOfSatisfying(EngineException.class,
                        e -> assertThat(e.kind()).isEqualTo(EngineException.Kind.UNAVAILABLE));
    }

    @Test
    void withoutAnyTemplateChatUsesThePlainFallback() {
        Path file = TinyGguf.builder().write(dir.resolve("plain.gguf"));
        try (RunningModel plain = engine.load(load(file, null, Map.of("n_ctx", 256, "n_parallel", 1)), context)) {
            List<ChatMessage> messages = List.of(new ChatMessage("system", "Be short."), new ChatMessage("user", "Hi"));

            Recorded viaChat = chat(plain, new ChatRequest(messages, greedy(6)));
            Recorded viaPrompt = complete(plain, "system: Be short.\nuser: Hi\nassistant:", greedy(6));

            assertThat(viaChat.text()).isEqualTo(viaPrompt.text());
            assertThat(plain.describe()).containsEntry("chat_template", "fallback");
        }
    }

    /** A two-character ASCII piece that first occurs a few characters into {@code text}. */
    private static String asciiStopString(String text) {
        for (int i = 4; i + 2 <= text.length(); i++) {
            String candidate = text.substring(i, i + 2);
            if (candidate.chars().allMatch(c -> c > 32 && c < 127) && text.indexOf(candidate) == i) {
                return candidate;
            }
        }
        throw new AssertionError("no ASCII stop string candidate in " + text);
    }
}
