package io.jinference.metrics;

import java.util.UUID;
import java.util.regex.Pattern;

/** Request ids: the client's {@code X-Request-Id} when it is sane, else a fresh one. */
public final class RequestIds {
    public static final String HEADER = "X-Request-Id";
    /**
     * Letters, digits and {@code . _ : -}, up to 128 characters: what tracing systems send, and nothing that could
     * split a log line or a header.
     */
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {
    }

    /** The client's id if it is sane, else a generated one. */
    public static String accept(String fromClient) {
        return fromClient != null && SANE.matcher(fromClient).matches() ? fromClient : generate();
    }

    static String generate() {
        return UUID.randomUUID().toString();
    }
}
