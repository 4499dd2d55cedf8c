package io.jinference.launcher.rest;

import io.jinference.api.TokenSink;

/** Collects the whole generated text for a non-streaming answer. */
final class BufferedSink implements TokenSink {
    private final StringBuilder text = new StringBuilder();

    @Override
    public synchronized void onText(String delta) {
        text.append(delta);
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    synchronized String text() {
        return text.toString();
    }
}
