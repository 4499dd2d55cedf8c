package io.jinference.engine.transformers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded checkpoint serving chat and completions. Concurrent requests are batched continuously by a
 * {@link BatchScheduler}: each step runs one token of every active request, so a step's weight reads serve them all.
 */
final class TransformersModel implements RunningModel {
    /** What a request without max_tokens gets, as in Xinference's transformers engine. */
    static final int DEFAULT_MAX_TOKENS = 1024;

    private final DecoderModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final ChatFormat chatFormat;
    private final GenerationDefaults defaults;
    private final Set<Long> stopTokenIds;
    private final List<String> familyStops;
    private final int contextLength;
    private final EngineContext context;
    private final Map<String, Object> description;
    private final BatchScheduler scheduler;
    private volatile boolean closed;

    TransformersModel(DecoderModel model, HuggingFaceTokenizer tokenizer, ChatFormat chatFormat,
            GenerationDefaults defaults, Set<Long> stopTokenIds, List<String> familyStops, int contextLength,
            EngineContext context, Map<String, Object> description) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.chatFormat = chatFormat;
        this.defaults = defaults;
        this.stopTokenIds = Set.copyOf(stopTokenIds);
        this.familyStops = List.copyOf(familyStops);
        this.contextLength = contextLength;
        this.context = context;
        this.description = description;
        this.scheduler = new BatchScheduler(model, "transformers-batch-scheduler");
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        // Tools the model may call are shown to it by the chat template; the host reads the calls out of the text in
        // the format the template teaches (the description's chat_template_text).
        String prompt = chatFormat.render(request.messages(), request.usesTools() ? request.tools() : List.of(),
                context);
        // The rendered template already carries its special tokens, as with apply_chat_template(tokenize=True).
        return generate(encode(prompt, false), request.sampling(), sink);
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        return generate(encode(request.prompt(), true), request.sampling(), sink);
    }

    @Override
    public Map<String, Object> describe() {
        return description;
    }

    private long[] encode(String text, boolean addSpecialTokens) {
        if (closed) {
            // The tokenizer's native memory is freed by then.
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "The model was terminated");
        }
        return DjlRuntime.call(() -> tokenizer.encode(text, addSpecialTokens, false).getIds());
    }

    Generation generate(long[] prompt, SamplingParams params, TokenSink sink) {
        SamplingParams sampling = params == null ? SamplingParams.defaults() : params;
        if (prompt.length == 0) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt is empty");
        }
        if (prompt.length >= contextLength) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt has " + prompt.length
                    + " tokens, but the model's context holds " + contextLength);
        }
        int maxTokens = sampling.maxTokens() != null ? sampling.maxTokens() : DEFAULT_MAX_TOKENS;
        if (maxTokens < 1) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "max_tokens must be at least 1");
        }
        maxTokens = Math.min(maxTokens, contextLength - prompt.length);
        Sampler sampler = defaults.sampler(sampling);
        boolean ignoreEos = ignoreEos(sampling);
        List<String> stops = new ArrayList<>(sampling.stop());
        stops.addAll(familyStops);
        return scheduler.submit(new Sequence(prompt, maxTokens, sampler, ignoreEos, stopTokenIds,
                new TextStream(tokenizer, stops, sink), sink));
    }

    /**
     * vLLM's {@code ignore_eos}: generate until {@code max_tokens} even past the end-of-sequence token. The one
     * request key outside {@link SamplingParams}'s own that this engine reads; it declares it among its capability's
     * abilities so that the host lets it through.
     */
    private static boolean ignoreEos(SamplingParams sampling) {
        Object value = sampling.extra().get("ignore_eos");
        if (value != null && !(value instanceof Boolean)) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                    "ignore_eos must be true or false, got " + value);
        }
        return Boolean.TRUE.equals(value);
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            scheduler.close();
            DjlRuntime.run(() -> {
                tokenizer.close();
                model.close();
            });
        }
    }

    static Map<String, Object> description(ModelConfig config, DecoderModel model, int contextLength, String runtime) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("backend", TransformersEngine.BACKEND);
        facts.put("architecture", config.architecture().className);
        facts.put("dtype", model.dtype().toString());
        facts.put("context_length", contextLength);
        facts.put("batching", "continuous (up to " + BatchScheduler.MAX_SEQUENCES
                + " requests decode together: one step runs a token of each, with batched projections and MLP and"
                + " attention per request; a new request's prompt joins the next step)");
        facts.put("runtime", runtime);
        return Map.copyOf(facts);
    }
}
