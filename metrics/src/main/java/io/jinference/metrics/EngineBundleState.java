package io.jinference.metrics;

/** An installed engine bundle as the metrics show it. */
public record EngineBundleState(long id, String name, String version, String state) {
}
