package io.jinference.hub;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far a model's download is: bytes to fetch and fetched (counting what the cache already had), the rate of this
 * session's transfer, the time left, the file in flight and where each resumed file picked up. Updated by the
 * download threads, read by the progress route and the command line's bar.
 */
public final class DownloadProgress {
    /** Where a download stands. */
    public enum Stage { RESOLVING, DOWNLOADING, DONE, FAILED, CANCELLED }

    private final String repoId;
    private final AtomicLong totalBytes = new AtomicLong();
    private final AtomicLong doneBytes = new AtomicLong();
    private final AtomicLong transferredBytes = new AtomicLong();
    private final Map<String, Long> resumedAt = new ConcurrentHashMap<>();
    private volatile long startedNanos = System.nanoTime();
    private volatile String currentFile;
    private volatile Stage stage = Stage.RESOLVING;
    private volatile String error;
    private volatile int files;
    private volatile String commit;

    public DownloadProgress(String repoId) {
        this.repoId = repoId;
    }

    public String repoId() {
        return repoId;
    }

    void planned(long bytes, int fileCount, String resolvedCommit) {
        totalBytes.set(bytes);
        files = fileCount;
        commit = resolvedCommit;
        startedNanos = System.nanoTime();
        stage = Stage.DOWNLOADING;
    }

    /** Bytes the cache already had (complete blobs, or the part of a blob a resume starts from). */
    void alreadyHad(long bytes) {
        doneBytes.addAndGet(bytes);
    }

    void transferred(long bytes) {
        doneBytes.addAndGet(bytes);
        transferredBytes.addAndGet(bytes);
    }

    void fileStarted(String path) {
        currentFile = path;
    }

    void resumed(String path, long offset) {
        resumedAt.put(path, offset);
    }

    void finished() {
        currentFile = null;
        stage = Stage.DONE;
    }

    void failed(String reason, boolean cancelled) {
        error = reason;
        stage = cancelled ? Stage.CANCELLED : Stage.FAILED;
    }

    public Stage stage() {
        return stage;
    }

    public long totalBytes() {
        return totalBytes.get();
    }

    public long doneBytes() {
        return doneBytes.get();
    }

    /** Where each resumed file's download picked up, in bytes. */
    public Map<String, Long> resumedAt() {
        return Map.copyOf(resumedAt);
    }

    /** 0..1; 1 once done. */
    public double fraction() {
        if (stage == Stage.DONE) {
            return 1.0;
        }
        long total = totalBytes.get();
        return total <= 0 ? 0.0 : Math.min(1.0, (double) doneBytes.get() / total);
    }

    /** Bytes per second fetched in this session (resumed and cached bytes excluded). */
    public double bytesPerSecond() {
        double seconds = (System.nanoTime() - startedNanos) / 1e9;
        return seconds <= 0 ? 0 : transferredBytes.get() / seconds;
    }

    /** Seconds left at the current rate, or -1 when unknown. */
    public long secondsLeft() {
        double rate = bytesPerSecond();
        long left = totalBytes.get() - doneBytes.get();
        return rate <= 0 || stage != Stage.DOWNLOADING ? -1 : (long) Math.ceil(left / rate);
    }

    /** The figures as the progress route shows them. */
    public Map<String, Object> describe() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("stage", stage.name().toLowerCase());
        map.put("model_id", repoId);
        map.put("revision", commit);
        map.put("files", files);
        map.put("current_file", currentFile);
        map.put("downloaded_bytes", doneBytes.get());
        map.put("total_bytes", totalBytes.get());
        map.put("bytes_per_second", Math.round(bytesPerSecond()));
        map.put("seconds_left", secondsLeft());
        map.put("resumed_at", resumedAt());
        if (error != null) {
            map.put("error", error);
        }
        return map;
    }
}
