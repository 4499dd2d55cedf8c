package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonParser;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.LoadRequest;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Serving through the engine's API: the transformers-made Llama checkpoint, its tokenizer and chat template. */
class TransformersModelTest {
    /** The reference prompt's text: "<s>" is the checkpoint's BOS special token, the rest are byte tokens. */
    private static final String PROMPT = "<s>Hello world! The sky";

    @TempDir
    static Path home;
    private static TransformersEngine engine;
    private static RunningModel model;
    private static String greedyText;
    private static int greedyTokens;

    @BeforeAll
    static void load() throws Exception {
        Path folder = ReferenceCheckpoints.folder("llama");
        engine = new TransformersEngine(home);
        model = engine.load(request(folder, Map.of()), new JinjavaContext(home));
        var reference = JsonParser.parseString(Files.readString(folder.resolve("reference.json"))).getAsJsonObject();
        long[] greedy = HfReferenceTest.longs(reference.getAsJsonArray("greedy"));
        // The generated text ends at the first end-of-sequence token, which the engine does not stream.
        List<Long> untilEos = new ArrayList<>();
        for (long id : greedy) {
            if (id == 259) {
                break;
            }
            untilEos.add(id);
        }
        greedyTokens = untilEos.size();
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(folder.resolve("tokenizer.json"))) {
            greedyText = tokenizer.decode(untilEos.stream().mapToLong(Long::longValue).toArray(), true);
        }
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
            model.close();
            engine.close();
        }
    }

    static LoadRequest request(Path folder, Map<String, Object> options) {
        return new LoadRequest("tiny-llama", null, null, "none", folder, options, List.of());
    }

    static SamplingParams greedy(int maxTokens, List<String> stop) {
        return new SamplingParams(maxTokens, 0.0, null, null, null, stop, null, Map.of());
    }

    @Test
    void greedyCompletionStreamsTransformersContinuation() {
        RecordingSink sink = new RecordingSink();
        Generation generation = model.complete(new CompletionRequest(PROMPT, greedy(32, List.of())), sink);
        assertThat(sink.text()).isEqualTo(greedyText);
        assertThat(sink.deltas).hasSizeGreaterThan(1);
        assertThat(generation.usage().promptTokens()).isEqualTo(21);
        assertThat(generation.usage().completionTokens()).isEqualTo(Math.min(32, greedyTokens + 1));
        assertThat(generation.finishReason()).isEqualTo(greedyTokens < 32 ? FinishReason.STOP : FinishReason.LENGTH);
    }

    @Test
    void maxTokensEndsWithLength() {
        Generation generation = model.complete(new CompletionRequest(PROMPT, greedy(3, List.of())), new RecordingSink());
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(generation.usage().completionTokens()).isEqualTo(3);
    }

    /**
     * A logit bias on the end-of-sequence token (259) makes greedy decoding pick it at once, which ends the
     * generation; with ignore_eos it goes on to max_tokens.
     */
    @Test
    void logitBiasAndIgnoreEos() {
        Map<Integer, Double> eosFirst = Map.of(259, 100.0);
        Generation plain = model.complete(new CompletionRequest(PROMPT, new SamplingParams(8, 0.0, null, null, null,
                List.of(), null, null, null, eosFirst, Map.of())), new RecordingSink());
        assertThat(plain.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(plain.usage().completionTokens()).isEqualTo(1);
        Generation ignored = model.complete(new CompletionRequest(PROMPT, new SamplingParams(8, 0.0, null, null,
                null, List.of(), null, null, null, eosFirst, Map.of("ignore_eos", true))), new RecordingSink());
        assertThat(ignored.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(ignored.usage().completionTokens()).isEqualTo(8);

        SamplingParams notBoolean = new SamplingParams(4, 0.0, null, null, null, List.of(), null,
                Map.of("ignore_eos", "yes"));
        assertThatThrownBy(() -> model.complete(new CompletionRequest(PROMPT, notBoolean), new RecordingSink()))
                .isInstanceOf(EngineException.class).hasMessageContaining("ignore_eos");
    }

    @Test
    void stopStringCutsTheTextBeforeIt() {
        String stop = greedyText.substring(3, 5);
        RecordingSink sink = new RecordingSink();
        Generation generation = model.complete(new CompletionRequest(PROMPT, greedy(32, List.of(stop))), sink);
        assertThat(generation.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(sink.text()).isEqualTo(greedyText.substring(0, greedyText.indexOf(stop)));
    }

    @Test
    void cancellationStopsEarly() {
        RecordingSink sink = new RecordingSink(2);
        Generation generation = model.complete(new CompletionRequest(PROMPT, greedy(32, List.of())), sink);
        assertThat(generation.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(generation.usage().completionTokens()).isLessThan(Math.min(32, greedyTokens));
    }

    @Test
    void seededSamplingRepeatsAndTopKOneIsGreedy() {
        SamplingParams seeded = new SamplingParams(16, 1.0, 0.9, 50, 42L, List.of(), 1.1, Map.of());
        RecordingSink first = new RecordingSink();
        RecordingSink second = new RecordingSink();
        model.complete(new CompletionRequest(PROMPT, seeded), first);
        model.complete(new CompletionRequest(PROMPT, seeded), second);
        assertThat(first.text()).isEqualTo(second.text());

        RecordingSink topOne = new RecordingSink();
        model.complete(new CompletionRequest(PROMPT, new SamplingParams(32, 0.8, null, 1, 7L, List.of(), null, Map.of())),
                topOne);
        assertThat(topOne.text()).isEqualTo(greedyText);
    }

    @Test
    void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                answers.add(pool.submit(() -> {
                    RecordingSink sink = new RecordingSink();
                    model.complete(new CompletionRequest(PROMPT, greedy(32, List.of())), sink);
                    return sink.text();
                }));
            }
            for (Future<String> answer : answers) {
                assertThat(answer.get()).isEqualTo(greedyText);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void chatRendersTheCheckpointTemplate() {
        RecordingSink sink = new RecordingSink();
        Generation generation = model.chat(new ChatRequest(List.of(new ChatMessage("user", "Hi")), greedy(4, List.of())),
                sink);
        // "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n": 3 special tokens and 18 byte tokens.
        assertThat(generation.usage().promptTokens()).isEqualTo(21);
        assertThat(generation.usage().completionTokens()).isBetween(1, 4);
    }

    @Test
    void promptLongerThanTheContextIsRejected() {
        assertThatThrownBy(() -> model.complete(new CompletionRequest("x".repeat(300), greedy(4, List.of())),
                new RecordingSink()))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("context")
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
    }

    @Test
    void describesTheLoadedModel() {
        assertThat(model.describe()).containsEntry("architecture", "LlamaForCausalLM")
                .containsEntry("context_length", 256).containsKey("runtime");
    }
}
