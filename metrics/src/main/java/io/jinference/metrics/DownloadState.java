package io.jinference.metrics;

/** A launch's model download as the metrics show it ({@code stage}: resolving, downloading, done, failed …). */
public record DownloadState(String modelUid, String stage, long doneBytes, long totalBytes) {
}
