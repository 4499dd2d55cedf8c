package io.jinference.hub;

/**
 * One range of a file being received into a buffer, readable while it arrives (see {@link InOrderSink}). Bytes below
 * {@link #received} never change again: a retried transfer resumes where the broken one stopped.
 */
final class ReceivingChunk {
    private final long from;
    private final byte[] buffer;
    private final int length;
    // volatile: the bytes written into the buffer before an update are visible to the thread that reads the update
    private volatile int received;
    private volatile boolean ended;
    private final long startedNanos = System.nanoTime();
    private volatile long endedNanos;
    private long waitingNanos;

    /** Bytes {@code [from, from + length)} of the file, received into {@code buffer} (reused, maybe longer). */
    ReceivingChunk(long from, byte[] buffer, int length) {
        this.from = from;
        this.buffer = buffer;
        this.length = length;
    }

    long from() {
        return from;
    }

    byte[] buffer() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** How many bytes, from the buffer's start, have arrived. */
    int received() {
        return received;
    }

    /** Whether the transfer is over, complete or not. */
    boolean ended() {
        return ended;
    }

    /** The transfer has filled the buffer up to {@code position}. */
    void arrived(int position) {
        received = position;
    }

    /** The transfer is over, complete or not. */
    void end() {
        endedNanos = System.nanoTime();
        ended = true;
    }

    /** The transfer waited this long for the network: for its answer, and in reads from the connection. */
    void waited(long nanos) {
        waitingNanos += nanos;
    }

    /** The share of its time, from its creation to its end, the transfer spent waiting for the network. */
    double waitingShare() {
        return waitingNanos / (double) Math.max(1, endedNanos - startedNanos);
    }
}
