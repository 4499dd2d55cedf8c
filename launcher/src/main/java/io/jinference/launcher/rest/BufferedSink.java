package io.jinference.launcher.rest;

import io.jinference.api.TokenLogprob;
import io.jinference.api.TokenSink;
import io.jinference.api.ToolCall;
import io.jinference.api.ToolCallDelta;
import java.util.ArrayList;
import java.util.List;

/** Collects one whole generated choice for a non-streaming answer; cancelled when the client goes away. */
final class BufferedSink implements TokenSink {
    private final StringBuilder text = new StringBuilder();
    private final List<TokenLogprob> logprobs = new ArrayList<>();
    private final ToolCallPieces toolCalls = new ToolCallPieces();
    private final ClientConnection client;

    BufferedSink(ClientConnection client) {
        this.client = client;
    }

    @Override
    public synchronized void onText(String delta) {
        text.append(delta);
    }

    @Override
    public synchronized void onLogprobs(List<TokenLogprob> tokens) {
        logprobs.addAll(tokens);
    }

    @Override
    public synchronized void onToolCall(ToolCallDelta delta) {
        toolCalls.add(delta);
    }

    @Override
    public boolean isCancelled() {
        return client.gone();
    }

    synchronized String text() {
        return text.toString();
    }

    synchronized List<ToolCall> toolCalls() {
        return toolCalls.calls();
    }

    synchronized List<TokenLogprob> logprobs() {
        return List.copyOf(logprobs);
    }
}
