package io.jinference.hub;

/**
 * One range of a file being received into a buffer, readable while it arrives (see {@link InOrderSink}). Bytes below
 * {@link #received} never change again: a retried transfer resumes where the broken one stopped.
 *
 * <p>A buffered chunk's buffer holds the whole range, so its bytes can wait there until they are next in order. A
 * streamed chunk's buffer is shorter than the range and is read into from its start again and again: it holds only the
 * bytes of the last read, which must be hashed and written before the next one (see {@link InOrderSink#arrived}).
 */
final class ReceivingChunk {
    private final long from;
    private final byte[] buffer;
    private final int length;
    // volatile: the bytes written into the buffer before an update are visible to the thread that reads the update
    private volatile int received;
    /** Streamed chunks: the position in the range of the buffer's first byte (where the last read began). */
    private int bufferStart;
    private volatile boolean ended;
    private final long startedNanos = System.nanoTime();
    private volatile long endedNanos;
    /** Written by the transfer's thread, read by the downloader's after the transfer's end. */
    private long answeredNanos;
    private long waitingNanos;

    /**
     * Bytes {@code [from, from + length)} of the file, received into {@code buffer} (reused): buffered if it is at least
     * {@code length} long, streamed if it is shorter.
     */
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

    boolean streamed() {
        return buffer.length < length;
    }

    /** Where in the buffer the next read goes, and how many bytes it may bring. */
    int readOffset() {
        return streamed() ? 0 : received;
    }

    int readLength(int limit) {
        return Math.min(limit, Math.min(buffer.length - readOffset(), length - received));
    }

    /** Where the range's byte at {@code position} (one that has arrived) is in the buffer. */
    int bufferOffset(int position) {
        return position - bufferStart;
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

    /** A read has brought the range up to {@code position}. */
    void arrived(int position) {
        if (streamed()) {
            bufferStart = received;
        }
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

    /** The hub's first answer to the range's request came now (a retry's answer does not count). */
    void answered() {
        if (answeredNanos == 0) {
            answeredNanos = System.nanoTime();
        }
    }

    /**
     * Its bytes over the time from the hub's answer to its end: the rate of the transfer itself, without the request's
     * round trip, which a short range would otherwise weigh too much.
     */
    double bytesPerSecond() {
        long from = answeredNanos == 0 ? startedNanos : answeredNanos;
        return length * 1e9 / Math.max(1, endedNanos - from);
    }

    /** The share of its time, from its creation to its end, the transfer spent waiting for the network. */
    double waitingShare() {
        return waitingNanos / (double) Math.max(1, endedNanos - startedNanos);
    }
}
