package io.jinference.engine.transformers;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import io.jinference.api.Usage;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A loaded checkpoint serving chat and completions. Requests are queued: one generates at a time, in arrival order
 * (a fair lock), because each step already uses every core through libtorch's intra-op threads.
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
    private final ReentrantLock queue = new ReentrantLock(true);
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
        queue.lock();
        try {
            if (closed) {
                throw new EngineException(EngineException.Kind.UNAVAILABLE, "The model was terminated");
            }
            int limit = maxTokens;
            return DjlRuntime.call(() -> run(prompt, limit, sampler, ignoreEos, new TextStream(tokenizer, stops, sink),
                    sink));
        } finally {
            queue.unlock();
        }
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

    private Generation run(long[] prompt, int maxTokens, Sampler sampler, boolean ignoreEos, TextStream text,
            TokenSink sink) {
        BitSet seen = new BitSet();
        for (long id : prompt) {
            seen.set((int) id);
        }
        int generated = 0;
        FinishReason reason = FinishReason.LENGTH;
        try (KvCache cache = model.newCache()) {
            long[] input = prompt;
            while (generated < maxTokens) {
                if (sink.isCancelled()) {
                    reason = FinishReason.CANCELLED;
                    break;
                }
                float[] logits;
                try (NDManager scope = model.newScope()) {
                    logits = model.forward(scope, input, cache, false).toFloatArray();
                }
                int token = sampler.next(logits, seen);
                generated++;
                seen.set(token);
                if (!ignoreEos && stopTokenIds.contains((long) token)) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (text.add(token)) {
                    // The stop string ended the text; what was held back belongs to it and is dropped.
                    return new Generation(FinishReason.STOP, new Usage(prompt.length, generated));
                }
                input = new long[] {token};
            }
        }
        text.flush();
        return new Generation(reason, new Usage(prompt.length, generated));
    }

    @Override
    public void close() {
        queue.lock();
        try {
            if (!closed) {
                closed = true;
                DjlRuntime.run(() -> {
                    tokenizer.close();
                    model.close();
                });
            }
        } finally {
            queue.unlock();
        }
    }

    static Map<String, Object> description(ModelConfig config, DecoderModel model, int contextLength, String runtime) {
        Map<String, Object> facts = new LinkedHashMap<>();
        facts.put("backend", TransformersEngine.BACKEND);
        facts.put("architecture", config.architecture().className);
        facts.put("dtype", model.dtype().toString());
        facts.put("context_length", contextLength);
        facts.put("batching", "queued (one request generates at a time)");
        facts.put("runtime", runtime);
        return Map.copyOf(facts);
    }
}
