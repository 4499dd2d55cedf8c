package io.jinference.engine.support.testing;

import io.jinference.api.TokenSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A token sink that records every chunk, and can play a client that goes away after some chunks. */
public final class RecordingSink implements TokenSink {
    private final List<String> chunks = new CopyOnWriteArrayList<>();
    private final int cancelAfter;

    public RecordingSink() {
        this(Integer.MAX_VALUE);
    }

    /** A sink whose client goes away once {@code cancelAfter} chunks arrived. */
    public RecordingSink(int cancelAfter) {
        this.cancelAfter = cancelAfter;
    }

    @Override
    public void onText(String delta) {
        chunks.add(delta);
    }

    @Override
    public boolean isCancelled() {
        return chunks.size() >= cancelAfter;
    }

    public List<String> chunks() {
        return List.copyOf(chunks);
    }

    public String text() {
        return String.join("", chunks);
    }
}
