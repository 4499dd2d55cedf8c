package io.jinference.engine.llamacpp;

import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.Generation;
import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntPredicate;

/** Shared test vocabulary: load requests, sampling settings and a sink that records what it receives. */
final class Models {

    static final String CHAT_ML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' "
            + "+ message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private Models() {
    }

    static ModelFamily family(String name, String chatTemplate, List<String> stop) {
        ModelSpec spec = new ModelSpec("ggufv2", "0_0001", List.of("f32"), Map.of(), null);
        return new ModelFamily(name, "test family", List.of("en"), List.of("generate", "chat"), 256, List.of(),
                chatTemplate, stop, List.of(), List.of(spec), null, false);
    }

    static LoadRequest load(Path file, ModelFamily family, Map<String, Object> options) {
        return new LoadRequest("test-model", family, family == null ? null : family.specs().get(0), "f32", file,
                options, List.of());
    }

    static SamplingParams greedy(int maxTokens) {
        return sampling(maxTokens, 0.0, null, List.of());
    }

    static SamplingParams sampling(Integer maxTokens, Double temperature, Long seed, List<String> stop) {
        return new SamplingParams(maxTokens, temperature, null, null, seed, stop, null, Map.of());
    }

    static ChatRequest chat(String userMessage, SamplingParams sampling) {
        return new ChatRequest(List.of(new ChatMessage("user", userMessage)), sampling);
    }

    static Recorded complete(RunningModel model, String prompt, SamplingParams sampling) {
        Recorder sink = new Recorder(count -> false);
        Generation generation = model.complete(new CompletionRequest(prompt, sampling), sink);
        return new Recorded(sink.text(), sink.deltas, generation);
    }

    static Recorded chat(RunningModel model, ChatRequest request) {
        Recorder sink = new Recorder(count -> false);
        Generation generation = model.chat(request, sink);
        return new Recorded(sink.text(), sink.deltas, generation);
    }

    /** What a request streamed, and how it ended. */
    record Recorded(String text, List<String> deltas, Generation generation) {
    }

    /** Records every delta; cancels once {@code cancelAfter} holds for the number of deltas received. */
    static final class Recorder implements TokenSink {
        final List<String> deltas = new CopyOnWriteArrayList<>();
        private final IntPredicate cancelAfter;

        Recorder(IntPredicate cancelAfter) {
            this.cancelAfter = cancelAfter;
        }

        @Override
        public void onText(String delta) {
            deltas.add(delta);
        }

        @Override
        public boolean isCancelled() {
            return cancelAfter.test(deltas.size());
        }

        String text() {
            return String.join("", deltas);
        }
    }
}
