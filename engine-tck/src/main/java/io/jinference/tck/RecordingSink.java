package io.jinference.tck;

import io.jinference.api.TokenSink;
import java.util.ArrayList;
import java.util.List;

/**
 * A token sink that records every delta, can cancel the request after a number of deltas, and notices text that
 * arrives after the engine already returned (a stream must not outlive its request).
 */
final class RecordingSink implements TokenSink {

    private final int cancelAfterDeltas;
    private final List<String> deltas = new ArrayList<>();
    private int deltasAfterReturn;
    private boolean returned;

    private RecordingSink(int cancelAfterDeltas) {
        this.cancelAfterDeltas = cancelAfterDeltas;
    }

    static RecordingSink collecting() {
        return new RecordingSink(Integer.MAX_VALUE);
    }

    /** A sink whose client goes away once it has received {@code deltas} deltas. */
    static RecordingSink cancellingAfter(int deltas) {
        return new RecordingSink(deltas);
    }

    @Override
    public synchronized void onText(String delta) {
        if (returned) {
            deltasAfterReturn++;
        }
        deltas.add(delta);
    }

    @Override
    public synchronized boolean isCancelled() {
        return deltas.size() >= cancelAfterDeltas;
    }

    /** Marks the end of the engine call; deltas after this point are a defect. */
    synchronized void engineReturned() {
        returned = true;
    }

    synchronized List<String> deltas() {
        return List.copyOf(deltas);
    }

    synchronized String text() {
        return String.join("", deltas);
    }

    synchronized int deltasAfterReturn() {
        return deltasAfterReturn;
    }
}
