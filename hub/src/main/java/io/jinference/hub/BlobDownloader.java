package io.jinference.hub;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one file into its {@code .incomplete} blob and, once its size and checksum match, renames it to the blob.
 * An existing {@code .incomplete} (ours, or huggingface_hub's) is resumed from its length with HTTP Range. Large files
 * come in chunks (ranges), in parallel where one connection is slow, and are appended in order, so the
 * {@code .incomplete} file is always a valid prefix that any tool can resume. The bytes are hashed in order as they
 * arrive: sha256 for LFS files, the git blob id for the others; a mismatch discards the file. A range fetched on its
 * own (the connection keeps up) is streamed: each read is hashed and appended before the next, through one small
 * buffer.
 */
final class BlobDownloader {
    private static final Logger LOG = LoggerFactory.getLogger(BlobDownloader.class);
    private static final int ATTEMPTS_PER_CHUNK = 3;
    /** Bytes asked of the socket per read: large, so that a fast transfer costs few calls. */
    private static final int READ_BUFFER = 1024 * 1024;
    /**
     * The buffer a range fetched on its own is read into, again and again, each read hashed and written before the
     * next: small enough to stay in the core's cache with the JDK's own socket buffer. Measured with a bare loop (one
     * GET of 98 MB from the stand-in on loopback, 2 cores; read, hash, append): 0.13 s through one 256 KiB buffer,
     * 0.14 s walking an 8 MiB buffer in 256 KiB reads, 0.15 s in 1 MiB reads, as the chunk buffers were used.
     */
    private static final int STREAMED_READ = 256 * 1024;
    /**
     * Ranges fetched one at a time double in length from one chunk up to this many chunks: each range is a request
     * (two, with the hub's redirect), and on loopback 8 MiB ranges in turn took 0.165 s for 98 MB where 32 MiB ranges
     * took 0.13 s, as one request for the whole file did. Whether to go parallel is decided at the end of each range,
     * so the ranges stay bounded.
     */
    private static final int SERIAL_RANGE_CHUNKS = 8;
    /**
     * A file's ranges are fetched one at a time until one of them spends more than this share of its time waiting for
     * the network (for the answer, and in reads); then parallel ranges are tried (see {@link #TRIAL_RANGES}).
     * Parallel ranges pay where one connection is slower than this machine hashes and writes (a CDN far away), and
     * cost where it is not: the bytes of ranges ahead of the one being written wait in memory and are hashed from
     * there, out of cache (measured on loopback, 98 MB on 2 cores: 4 ranges at once took 0.18 s and 0.18 s of CPU, one
     * at a time 0.14 s and 0.12 s). The thread that receives the range being written also hashes and writes it, so a
     * range that mostly waited was held back by the network, not the CPU; on loopback ranges waited 20-50% of the
     * time, hence the margin.
     */
    static final double PARALLEL_ABOVE_WAITING_SHARE = 0.75;
    /**
     * Parallel ranges are kept only when their first window brought the bytes at least this much faster than the
     * range before it did alone. Where the limit is the link, not each connection (measured behind a 1 Gbit/s link:
     * 98 MB in 0.85-0.86 s one range at a time, as huggingface_hub's one stream, 0.88-0.95 s four at a time),
     * splitting it only adds requests and bytes waiting out of cache, so the file goes on one range at a time.
     */
    static final double KEEP_PARALLEL_ABOVE_SPEEDUP = 1.25;
    /**
     * The trial fetches this many ranges at once, not all the parallel chunks: whether a second connection brings more
     * bytes is what it asks, and where it does not, every range of the trial window (and each range started while it
     * runs) went at a shared link's rate with its bytes waiting out of cache. Four ranges at once in the trial had
     * 56 MiB of a 98 MB file fetched that way behind a 1 Gbit/s link; two have 24 MiB.
     */
    static final int TRIAL_RANGES = 2;
    /** A transfer that brings no byte for this long is broken off (java.net.http has no read timeout for bodies). */
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final HubHttp http;
    private final int chunkBytes;
    private final int parallelChunks;
    private final ExecutorService workers;
    private final ScheduledExecutorService watchdog;

    BlobDownloader(HubHttp http, int chunkBytes, int parallelChunks) {
        this.http = http;
        this.chunkBytes = chunkBytes;
        this.parallelChunks = parallelChunks;
        this.workers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "jinference-download");
            thread.setDaemon(true);
            return thread;
        });
        this.watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "jinference-download-watchdog");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Closes a transfer's stream when it stalls or its launch is cancelled, so that a blocked read ends at once
     * instead of waiting for bytes that may never come.
     */
    private ScheduledFuture<?> guard(HubHttp.Response response, AtomicLong lastProgress, BooleanSupplier cancelled) {
        return watchdog.scheduleWithFixedDelay(() -> {
            if (cancelled.getAsBoolean() || System.nanoTime() - lastProgress.get() > STALL_NANOS) {
                response.abort();
            }
        }, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** What one file's download did. */
    record Outcome(long resumedFrom, long fetchedBytes) {
    }

    /**
     * Downloads {@code file} from {@code uri} into {@code blob} (via {@code blob + ".incomplete"}).
     *
     * @throws HubException on a checksum or size mismatch (the partial file is deleted) or a refusal by the hub
     * @throws DownloadCancelledException when {@code cancelled} turns true (the partial file is kept)
     * @throws IOException when the transfer fails after retries (the partial file is kept for a resume)
     */
    Outcome download(URI uri, String token, RepoFile file, Path blob, Path incomplete, DownloadProgress progress,
            BooleanSupplier cancelled) throws IOException, InterruptedException {
        Files.createDirectories(blob.getParent());
        long start = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        if (file.size() >= 0 && start > file.size()) {
            Files.delete(incomplete);
            start = 0;
        }
        MessageDigest digest = digestFor(file);
        if (start > 0) {
            LOG.info("Resuming {} ({}) at byte {} of {}", file.path(), blob.getFileName(), start, file.size());
            progress.resumed(file.path(), start);
            hashPrefix(incomplete, start, digest);
        }
        progress.alreadyHad(start);
        long written = file.size() < 0
                ? stream(uri, token, incomplete, digest, progress, cancelled)
                : chunks(new RangeTarget(http, uri, token), file.size(), start, incomplete, digest, progress,
                        cancelled);
        verify(file, written, digest, incomplete);
        Files.move(incomplete, blob, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new Outcome(start, written - start);
    }

    private long chunks(RangeTarget target, long size, long start, Path incomplete, MessageDigest digest,
            DownloadProgress progress, BooleanSupplier cancelled) throws IOException, InterruptedException {
        Deque<InFlight> window = new ArrayDeque<>();
        // A chunk's buffer is reused once its bytes are written: a fresh 8 MiB array per chunk meant zeroing the whole
        // file's size in new heap memory and a garbage collection every few chunks.
        Deque<byte[]> spareBuffers = new ArrayDeque<>();
        int bufferBytes = Math.toIntExact(Math.min(chunkBytes, size - start));
        byte[] streamedBuffer = new byte[Math.min(STREAMED_READ, bufferBytes)];
        long serialRange = chunkBytes;
        long next = start;
        long written = start;
        int ranges = 1;
        ParallelTrial trial = null;
        // A stream, not a FileChannel: the transfers that write (see InOrderSink) may be interrupted when a download
        // is given up, and an interrupt closes a FileChannel for every thread.
        try (OutputStream out = new FileOutputStream(incomplete.toFile(), true)) {
            InOrderSink sink = new InOrderSink(digest, out);
            try {
                while (!window.isEmpty() || next < size) {
                    while (next < size && window.size() < ranges) {
                        // Alone, a range is streamed: nothing needs to wait in a buffer for the bytes before it.
                        boolean alone = ranges == 1;
                        long to = Math.min(size, next + (alone ? serialRange : chunkBytes));
                        window.add(submit(target, next, to, alone ? streamedBuffer : buffer(spareBuffers,
                                bufferBytes), sink, progress, cancelled));
                        next = to;
                        if (alone) {
                            serialRange = Math.min(serialRange * 2, (long) chunkBytes * SERIAL_RANGE_CHUNKS);
                        }
                    }
                    InFlight head = window.poll();
                    sink.awaitWritten(head.chunk());
                    await(head.done());
                    if (ranges == 1 && trial == null
                            && head.chunk().waitingShare() > PARALLEL_ABOVE_WAITING_SHARE) {
                        ranges = Math.min(TRIAL_RANGES, parallelChunks);
                        trial = new ParallelTrial(head.chunk().bytesPerSecond(), (long) ranges * chunkBytes);
                    } else if (ranges > 1 && trial.decided(head.chunk().length())) {
                        LOG.debug("{} ranges of {} at once brought {} MB/s, one range alone {} MB/s", ranges,
                                target.resolveUri().getPath(), trial.parallelRate() / 1e6, trial.aloneRate() / 1e6);
                        ranges = trial.paidOff() ? parallelChunks : 1;
                    }
                    if (head.chunk().buffer() != streamedBuffer) {
                        spareBuffers.push(head.chunk().buffer());
                    }
                    written += head.chunk().length();
                }
                return written;
            } finally {
                window.forEach(pending -> pending.done().cancel(true));
                sink.close();
            }
        }
    }

    /** The first window of parallel ranges ({@link #TRIAL_RANGES}), timed against the range fetched alone before it. */
    private static final class ParallelTrial {
        private final double aloneRate;
        private final long windowBytes;
        private final long startedNanos = System.nanoTime();
        private long bytes;
        private double parallelRate = -1;

        ParallelTrial(double aloneRate, long windowBytes) {
            this.aloneRate = aloneRate;
            this.windowBytes = windowBytes;
        }

        /** Counts a written parallel range; true once, when the window's bytes are in. */
        boolean decided(int rangeBytes) {
            if (parallelRate >= 0) {
                return false;
            }
            bytes += rangeBytes;
            if (bytes < windowBytes) {
                return false;
            }
            parallelRate = bytes * 1e9 / Math.max(1, System.nanoTime() - startedNanos);
            return true;
        }

        boolean paidOff() {
            return parallelRate >= aloneRate * KEEP_PARALLEL_ABOVE_SPEEDUP;
        }

        double parallelRate() {
            return parallelRate;
        }

        double aloneRate() {
            return aloneRate;
        }
    }

    /** A range being fetched, and its transfer's outcome. */
    private record InFlight(ReceivingChunk chunk, Future<?> done) {
    }

    private static byte[] buffer(Deque<byte[]> spareBuffers, int bufferBytes) {
        byte[] spare = spareBuffers.poll();
        return spare != null ? spare : new byte[bufferBytes];
    }

    private InFlight submit(RangeTarget target, long from, long to, byte[] buffer, InOrderSink sink,
            DownloadProgress progress, BooleanSupplier cancelled) {
        ReceivingChunk chunk = new ReceivingChunk(from, buffer, Math.toIntExact(to - from));
        sink.expect(chunk);
        Future<?> done = workers.submit(() -> {
            try {
                return fetchRange(target, chunk, sink, progress, cancelled);
            } finally {
                chunk.end();
                sink.arrived(chunk);
            }
        });
        return new InFlight(chunk, done);
    }

    private static <T> T await(Future<T> work) throws IOException, InterruptedException {
        if (work == null) {
            return null;
        }
        try {
            return work.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException(cause);
        } catch (CancellationException e) {
            throw new IOException("chunk download cancelled", e);
        }
    }

    /** The chunk's bytes, retried from where a broken connection stopped. */
    private Void fetchRange(RangeTarget target, ReceivingChunk chunk, InOrderSink sink, DownloadProgress progress,
            BooleanSupplier cancelled) throws IOException, InterruptedException {
        URI uri = target.resolveUri();
        long from = chunk.from();
        long to = from + chunk.length();
        int received = 0;
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS_PER_CHUNK && received < chunk.length(); attempt++) {
            if (cancelled.getAsBoolean()) {
                throw new DownloadCancelledException("cancelled");
            }
            if (attempt > 1) {
                Thread.sleep(250L * (1L << attempt));
            }
            try {
                received = readRange(target, chunk, received, sink, progress, cancelled);
            } catch (PartialRangeException e) {
                received = e.received;
                last = e;
                LOG.debug("Range {}-{} of {} broke after {} bytes (attempt {}): {}", from, to - 1, uri, received,
                        attempt, e.toString());
            } catch (IOException e) {
                last = e;
                LOG.debug("Range {}-{} of {} could not be requested (attempt {}): {}", from, to - 1, uri, attempt,
                        e.toString());
            }
        }
        if (received < chunk.length()) {
            throw new IOException("Transfer of " + uri.getPath() + " broke at byte " + (from + received) + ": "
                    + (last == null ? "connection closed" : last.getMessage()), last);
        }
        return null;
    }

    private int readRange(RangeTarget target, ReceivingChunk chunk, int received, InOrderSink sink,
            DownloadProgress progress, BooleanSupplier cancelled) throws IOException, InterruptedException {
        long first = chunk.from() + received;
        long last = chunk.from() + chunk.length() - 1;
        byte[] buffer = chunk.buffer();
        AtomicLong lastProgress = new AtomicLong(System.nanoTime());
        int position = received;
        long requested = System.nanoTime();
        try (HubHttp.Response response = target.get(Map.of("Range", "bytes=" + first + "-" + last))) {
            chunk.waited(System.nanoTime() - requested);
            chunk.answered();
            InputStream in = response.body();
            ScheduledFuture<?> guard = guard(response, lastProgress, cancelled);
            try {
                refuseErrors(target.resolveUri(), response.status());
                if (response.status() == 200 && first > 0) {
                    in.skipNBytes(first);
                }
                while (position < chunk.length()) {
                    long reading = System.nanoTime();
                    int n = in.read(buffer, chunk.readOffset(), chunk.readLength(READ_BUFFER));
                    chunk.waited(System.nanoTime() - reading);
                    if (cancelled.getAsBoolean()) {
                        throw new DownloadCancelledException("cancelled");
                    }
                    if (n < 0) {
                        break;
                    }
                    position += n;
                    chunk.arrived(position);
                    sink.arrived(chunk);
                    lastProgress.set(System.nanoTime());
                    progress.transferred(n);
                }
                return position;
            } finally {
                guard.cancel(false);
            }
        } catch (IOException e) {
            if (cancelled.getAsBoolean()) {
                throw new DownloadCancelledException("cancelled");
            }
            throw new PartialRangeException(position, e);
        }
    }

    /** A range transfer that broke, and how far into its chunk it had got. */
    private static final class PartialRangeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final int received;

        PartialRangeException(int received, IOException cause) {
            super(cause.getMessage(), cause);
            this.received = received;
        }
    }

    /** A file of unknown size: one stream to its end. */
    private long stream(URI uri, String token, Path incomplete, MessageDigest digest, DownloadProgress progress,
            BooleanSupplier cancelled) throws IOException, InterruptedException {
        long start = Files.exists(incomplete) ? Files.size(incomplete) : 0;
        try (HubHttp.Response response = http.get(uri, token,
                start > 0 ? Map.of("Range", "bytes=" + start + "-") : Map.of());
                FileChannel out = FileChannel.open(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            InputStream in = response.body();
            refuseErrors(uri, response.status());
            if (response.status() == 200 && start > 0) {
                in.skipNBytes(start);
            }
            byte[] buffer = new byte[READ_BUFFER];
            long written = start;
            for (int n; (n = in.read(buffer)) >= 0;) {
                if (cancelled.getAsBoolean()) {
                    throw new DownloadCancelledException("cancelled");
                }
                out.write(ByteBuffer.wrap(buffer, 0, n));
                digest.update(buffer, 0, n);
                written += n;
                progress.transferred(n);
            }
            return written;
        }
    }

    private static void refuseErrors(URI uri, int status) throws IOException {
        if (status == 200 || status == 206) {
            return;
        }
        if (status == 404) {
            throw new HubException("The hub has no file at " + uri + " (HTTP 404)");
        }
        if (status == 401 || status == 403) {
            throw new HubException("The hub refuses " + uri + " (HTTP " + status + "): gated or private; set HF_TOKEN");
        }
        throw new IOException("HTTP " + status + " for " + uri);
    }

    private static MessageDigest digestFor(RepoFile file) {
        try {
            if (file.isLfs()) {
                return MessageDigest.getInstance("SHA-256");
            }
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            if (file.size() >= 0) {
                sha1.update(("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            return sha1;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void hashPrefix(Path incomplete, long length, MessageDigest digest) throws IOException {
        try (InputStream in = Files.newInputStream(incomplete)) {
            byte[] buffer = new byte[1 << 20];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new IOException("Partial file " + incomplete + " shrank while it was read");
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static void verify(RepoFile file, long written, MessageDigest digest, Path incomplete)
            throws IOException {
        String actual;
        if (!file.isLfs() && file.size() < 0) {
            actual = gitBlobId(incomplete);
        } else {
            actual = HexFormat.of().formatHex(digest.digest());
        }
        String expected = file.etag();
        String problem = null;
        if (file.size() >= 0 && written != file.size()) {
            problem = "size " + written + " bytes, the hub lists " + file.size();
        } else if (expected != null && !expected.equalsIgnoreCase(actual)) {
            problem = (file.isLfs() ? "sha256 " : "git blob id ") + actual + ", the hub lists " + expected;
        }
        if (problem != null) {
            Files.deleteIfExists(incomplete);
            throw new HubException("Downloaded " + file.path() + " does not match the hub: " + problem
                    + "; the download was discarded and nothing was added to the snapshot");
        }
    }

    private static String gitBlobId(Path file) throws IOException {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + Files.size(file) + "\0").getBytes(StandardCharsets.US_ASCII));
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 20];
                for (int n; (n = in.read(buffer)) >= 0;) {
                    sha1.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(sha1.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
