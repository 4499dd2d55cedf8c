package io.jinference.engine.llamacpp;

import de.kherud.llama.LlamaIterator;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.OutputOptions;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import io.jinference.api.ToolDefinition;
import io.jinference.api.Usage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A GGUF model loaded in java-llama.cpp. Concurrent requests are queued into llama.cpp's slots
 * ({@code n_parallel}) and decoded together in one batch by its server loop.
 *
 * <p>java-llama.cpp does not report why a generation stopped, so the finish reason is derived: a generation that
 * produced its whole token budget stopped for {@code length}, any other for {@code stop} (end-of-generation token
 * or stop string, which llama.cpp cuts off itself). Completion tokens are counted per streamed piece, see
 * {@link #tokensIn(String)}.
 */
final class LlamaCppModel implements RunningModel {

    private final LlamaModel model;
    private final LoadOptions options;
    private final ChatPrompt chatPrompt;
    private final List<String> familyStop;
    private final EngineContext context;
    private final Map<String, Object> description;
    /** Requests hold the read lock; close() takes the write lock so it never frees the model under a request. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;
    /** Guarded by the write lock. */
    private boolean freed;

    LlamaCppModel(LlamaModel model, LoadOptions options, ChatPrompt chatPrompt, List<String> familyStop,
            EngineContext context, Map<String, Object> description) {
        this.model = model;
        this.options = options;
        this.chatPrompt = chatPrompt;
        this.familyStop = List.copyOf(familyStop);
        this.context = context;
        this.description = Map.copyOf(description);
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        if (request.messages().isEmpty()) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "messages must not be empty");
        }
        refuseUnsupported(null, request.output());
        // Tools the model may call are shown to it by the chat template; the host reads the calls out of the text
        // (java-llama.cpp parses none), in the format the template teaches (the description's chat_template_text).
        List<ToolDefinition> tools = request.usesTools() ? request.tools() : List.of();
        return generate(() -> chatPrompt.render(request.messages(), tools, context), request.sampling(),
                StructuredOutput.grammar(request.responseFormat()), sink);
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        if (request.prompt() == null) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "prompt is required");
        }
        if (request.prompts().size() != 1) {
            throw new EngineException(EngineException.Kind.INVALID_REQUEST, "one prompt per request");
        }
        refuseUnsupported(request.output().echo() ? "echo" : null, request.output());
        return generate(request::prompt, request.sampling(), StructuredOutput.grammar(request.responseFormat()),
                sink);
    }

    /**
     * java-llama.cpp 4.2.0 reports probabilities of its own sampler only, not OpenAI's logprobs; the capability does
     * not claim them, and a request for them is refused, never answered without.
     */
    private static void refuseUnsupported(String parameter, OutputOptions output) {
        String refused = parameter != null ? parameter : output.logprobs() ? "logprobs" : null;
        if (refused != null) {
            throw new EngineException(EngineException.Kind.UNSUPPORTED, "The parameter " + refused
                    + " is not supported by the in-JVM llama.cpp engine (java-llama.cpp)");
        }
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        if (!options.embedding()) {
            throw new EngineException(EngineException.Kind.UNSUPPORTED,
                    "This model was not launched for embeddings; launch it with the option embedding=true");
        }
        Lock lock = enter();
        try {
            List<float[]> vectors = new ArrayList<>(request.inputs().size());
            int promptTokens = 0;
            for (String input : request.inputs()) {
                promptTokens += model.encode(input).length;
                vectors.add(model.embed(input));
            }
            return new Embeddings(vectors, promptTokens);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            // java-llama.cpp reports native failures with its package-private LlamaException
            throw new EngineException(EngineException.Kind.INTERNAL, "llama.cpp failed to embed: " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Map<String, Object> describe() {
        return description;
    }

    /** Cancels running generations, waits for them to leave, then frees the model. Safe to call twice. */
    @Override
    public void close() {
        closed = true;
        Lock lock = lifecycle.writeLock();
        lock.lock();
        try {
            if (!freed) {
                freed = true;
                model.close();
            }
        } finally {
            lock.unlock();
        }
    }

    /** @param promptText computed under the lifecycle lock: llama.cpp may format chat prompts on the model */
    private Generation generate(Supplier<String> promptText, SamplingParams requested, String grammar,
            TokenSink sink) {
        SamplingParams sampling = requested == null ? SamplingParams.defaults() : requested;
        Lock lock = enter();
        try {
            String prompt = promptText.get();
            int promptTokens = model.encode(prompt).length;
            int room = options.contextPerSlot() - promptTokens;
            if (room <= 0) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, "The prompt has " + promptTokens
                        + " tokens but a request may use at most " + options.contextPerSlot()
                        + " (launch option n_ctx)");
            }
            if (sampling.maxTokens() != null && sampling.maxTokens() <= 0) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST,
                        "max_tokens must be positive, got " + sampling.maxTokens());
            }
            int budget = sampling.maxTokens() == null ? room : Math.min(sampling.maxTokens(), room);
            LlamaIterator tokens = model.generate(
                    RequestParameters.of(prompt, sampling, budget, familyStop, options.seed(), grammar)).iterator();
            return stream(tokens, sink, promptTokens, budget);
        } catch (EngineException e) {
            throw e;
        } catch (RuntimeException e) {
            throw failure(e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * llama.cpp b4916 refuses a decode when its shared KV cache has no room left for the batch (concurrent requests
     * that each run to the end of their context can fill it); it then stops every request in the batch. That is a
     * capacity limit of the moment, not a bug: 503, so that clients retry.
     */
    private static EngineException failure(RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        if (message.contains("KV size") || message.contains("KV cache is full")) {
            return new EngineException(EngineException.Kind.UNAVAILABLE, "The model's KV cache is full with "
                    + "concurrent requests; retry, or launch with fewer n_parallel or a larger n_ctx (llama.cpp: "
                    + message + ")", e);
        }
        return new EngineException(EngineException.Kind.INTERNAL, "llama.cpp failed: " + message, e);
    }

    private Generation stream(LlamaIterator tokens, TokenSink sink, int promptTokens, int budget) {
        int produced = 0;
        boolean finished = false;
        try {
            while (tokens.hasNext()) {
                if (sink.isCancelled() || closed) {
                    return new Generation(FinishReason.CANCELLED, new Usage(promptTokens, Math.min(produced, budget)));
                }
                LlamaOutput output = tokens.next();
                if (!output.text.isEmpty()) {
                    produced += tokensIn(output.text);
                    sink.onText(output.text);
                }
            }
            finished = true;
        } finally {
            if (!finished) {
                // frees the slot at once: the client went away, the model is closing, or the sink failed
                tokens.cancel();
            }
        }
        FinishReason reason = produced >= budget ? FinishReason.LENGTH : FinishReason.STOP;
        return new Generation(reason, new Usage(promptTokens, Math.min(produced, budget)));
    }

    /**
     * Tokens in one streamed piece. llama.cpp sends one piece per token, except that tokens ending in an incomplete
     * UTF-8 character are held back and sent with the token that completes it; such merged pieces always contain a
     * non-ASCII character, and only those are re-tokenized to count them.
     */
    private int tokensIn(String piece) {
        for (int i = 0; i < piece.length(); i++) {
            if (piece.charAt(i) >= 0x80) {
                return Math.max(1, model.encode(piece).length);
            }
        }
        return 1;
    }

    private Lock enter() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new EngineException(EngineException.Kind.UNAVAILABLE, "The model is shutting down");
        }
        return lock;
    }
}
