package io.jinference.engine.transformers;

import io.jinference.api.TokenSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Collects streamed deltas; cancels itself after {@code cancelAfter} deltas when that is positive. */
class RecordingSink implements TokenSink {
    final List<String> deltas = new CopyOnWriteArrayList<>();
    private final int cancelAfter;

    RecordingSink() {
        this(0);
    }

    RecordingSink(int cancelAfter) {
        this.cancelAfter = cancelAfter;
    }

    @Override
    public void onText(String delta) {
        deltas.add(delta);
    }

    @Override
    public boolean isCancelled() {
        return cancelAfter > 0 && deltas.size() >= cancelAfter;
    }

    String text() {
        return String.join("", deltas);
    }
}
