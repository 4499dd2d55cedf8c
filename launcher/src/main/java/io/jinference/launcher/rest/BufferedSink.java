package io.jinference.launcher.rest;

import io.jinference.api.TokenSink;

/** Collects the whole generated text for a non-streaming answer; cancelled when the client goes away. */
final class BufferedSink implements TokenSink {
    private final StringBuilder text = new StringBuilder();
    private final ClientConnection client;

    BufferedSink(ClientConnection client) {
        this.client = client;
    }

    @Override
    public synchronized void onText(String delta) {
        text.append(delta);
    }

    @Override
    public boolean isCancelled() {
        return client.gone();
    }

    synchronized String text() {
        return text.toString();
    }
}
