package io.jinference.hub;

/**
 * One range of a file being received into a buffer, readable while it arrives: the thread that hashes the file in
 * order hashes a chunk's first bytes while its last ones are still on their way, instead of waiting for the whole
 * chunk (with several ranges in flight, the first chunk completes only shortly before the others, and the hash, which
 * is the slowest step, then started late). Bytes below {@link #awaitBeyond}'s answer never change again: a retried
 * transfer resumes where the broken one stopped.
 */
final class ReceivingChunk {
    /** The reader is woken once this many new bytes have arrived (or the rest of the chunk), not on every read. */
    private static final int SLICE_BYTES = 1024 * 1024;

    private final long from;
    private final byte[] buffer;
    private final int length;
    private int received;
    /** How far the reader waits for; the transfer wakes it once {@link #received} gets there. */
    private int wanted;
    private boolean ended;

    /** Bytes {@code [from, from + length)} of the file, received into {@code buffer} (reused, maybe longer). */
    ReceivingChunk(long from, byte[] buffer, int length) {
        this.from = from;
        this.buffer = buffer;
        this.length = length;
        this.wanted = Math.min(length, SLICE_BYTES);
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

    /** The transfer has filled the buffer up to {@code position}. */
    synchronized void arrived(int position) {
        received = position;
        if (position >= wanted) {
            notifyAll();
        }
    }

    /** The transfer is over, complete or not; a reader waiting for more bytes returns. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /**
     * Waits until more than {@code seen} bytes have arrived (a megabyte more, or the rest of the chunk), or until the
     * transfer ended; returns how many bytes have arrived, which is {@code seen} when the transfer broke off.
     */
    synchronized int awaitBeyond(int seen) throws InterruptedException {
        wanted = Math.min(length, seen + SLICE_BYTES);
        while (received < wanted && !ended) {
            wait();
        }
        return received;
    }
}
