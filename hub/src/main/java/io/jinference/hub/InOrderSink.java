package io.jinference.hub;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hashes a file's bytes and appends them to its {@code .incomplete} file strictly in order while its chunks arrive in
 * parallel, so that the file is always a prefix any tool can resume. The thread that has just received bytes of the
 * head chunk (the next bytes in order) hashes and writes them itself, while they are still in its core's cache; bytes
 * of later chunks wait in their buffers until their chunk is the head. A streamed chunk (see {@link ReceivingChunk})
 * must be the head: its bytes are hashed and written before its transfer reads again.
 *
 * <p>Why on the receiving thread: on the 2-core test machine (98 MB from the hub stand-in on loopback) SHA-256 ran at
 * 2.0 GB/s on bytes in cache and 1.2 GB/s on bytes that were not, and a separate hashing thread plus a writer thread
 * made the download use about twice the CPU time of one thread that reads, hashes and writes each read in turn.
 */
final class InOrderSink {
    private final MessageDigest digest;
    private final OutputStream out;
    /** Chunks in file order whose bytes are not all written yet; the first is the head. */
    private final Deque<ReceivingChunk> pending = new ArrayDeque<>();
    /** How many of the head chunk's bytes are hashed and written. */
    private int headDrained;
    private volatile ReceivingChunk head;
    /** Drain calls not yet served; only the caller that raised it from 0 drains, the others leave it the work. */
    private final AtomicInteger drainRequests = new AtomicInteger();
    private IOException failure;
    private boolean closed;

    /** Appends to {@code out} (not closed here) and feeds {@code digest}, which may already hold a resumed prefix. */
    InOrderSink(MessageDigest digest, OutputStream out) {
        this.digest = digest;
        this.out = out;
    }

    /** The next chunk in file order; chunks must be added in order, each before its transfer starts. */
    synchronized void expect(ReceivingChunk chunk) {
        pending.add(chunk);
        head = pending.peek();
    }

    /**
     * Called by a transfer after each read into {@code chunk}, and once it ended: hashes and writes what is next in
     * order if {@code chunk} is the head or has ended (so that a completed later chunk is never left waiting when no
     * transfer is running any more). Write failures are kept for {@link #awaitWritten} to report, so that a transfer
     * never mistakes them for a broken connection.
     *
     * @throws CancellationException when the bytes of a streamed chunk cannot be written (the sink failed or was
     *     closed): its transfer must stop, as its next read would overwrite them
     */
    void arrived(ReceivingChunk chunk) {
        if (chunk.streamed() && !chunk.ended()) {
            drainStreamed(chunk);
            return;
        }
        if (chunk != head && !chunk.ended()) {
            return;
        }
        if (drainRequests.getAndIncrement() != 0) {
            return;
        }
        int requests = 1;
        do {
            while (drainNext()) {
                // keep going while bytes are next in order: the rest of this chunk, then chunks that already arrived
            }
            requests = drainRequests.addAndGet(-requests);
        } while (requests != 0);
    }

    /** Hashes and writes all that {@code chunk}, the head, has received, before this returns. */
    private synchronized void drainStreamed(ReceivingChunk chunk) {
        if (chunk != pending.peek()) {
            throw new IllegalStateException("a streamed chunk must be the next bytes in order");
        }
        while (drainNext()) {
            // true once the chunk is complete and done with; a streamed chunk has no chunks after it
        }
        if (failure != null || closed) {
            throw new CancellationException("the download's file is not written any more"
                    + (failure != null ? ": " + failure : ""));
        }
    }

    /** Hashes and writes the head chunk's bytes that have arrived; false when there was nothing to do. */
    private synchronized boolean drainNext() {
        if (closed || failure != null || pending.isEmpty()) {
            return false;
        }
        ReceivingChunk chunk = pending.peek();
        int received = chunk.received();
        try {
            if (received > headDrained) {
                int offset = chunk.bufferOffset(headDrained);
                digest.update(chunk.buffer(), offset, received - headDrained);
                out.write(chunk.buffer(), offset, received - headDrained);
                headDrained = received;
            }
        } catch (IOException e) {
            failure = e;
            notifyAll();
            return false;
        }
        if (headDrained < chunk.length()) {
            if (chunk.ended()) {
                notifyAll();
            }
            return false;
        }
        pending.poll();
        head = pending.peek();
        headDrained = 0;
        notifyAll();
        return true;
    }

    /**
     * Waits until all of {@code chunk}'s bytes are hashed and written, or its transfer ended short (its future says
     * why); throws a write failure.
     */
    synchronized void awaitWritten(ReceivingChunk chunk) throws IOException, InterruptedException {
        while (failure == null && pending.contains(chunk) && !(chunk == pending.peek() && chunk.ended()
                && headDrained == chunk.received())) {
            wait();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** No byte is written after this returns (a write under way finishes first), so the file can be closed. */
    synchronized void close() {
        closed = true;
    }
}
