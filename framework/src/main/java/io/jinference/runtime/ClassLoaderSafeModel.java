package io.jinference.runtime;

import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.Generation;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.api.TokenSink;
import java.util.Map;
import java.util.function.Consumer;

/** A {@link RunningModel} decorator that sets the engine bundle's class loader as TCCL around every call. */
final class ClassLoaderSafeModel implements RunningModel {
    private final RunningModel delegate;
    private final EngineClassLoader loader;

    ClassLoaderSafeModel(RunningModel delegate, EngineClassLoader loader) {
        this.delegate = delegate;
        this.loader = loader;
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return loader.call(() -> delegate.chat(request, sink));
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        return loader.call(() -> delegate.complete(request, sink));
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        return loader.call(() -> delegate.embed(request));
    }

    @Override
    public boolean forward(Consumer<OpenAiUpstream> exchange) {
        return loader.call(() -> delegate.forward(exchange));
    }

    @Override
    public Map<String, Object> describe() {
        return loader.call(delegate::describe);
    }

    @Override
    public void close() {
        loader.run(delegate::close);
    }
}
