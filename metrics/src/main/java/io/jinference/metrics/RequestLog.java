package io.jinference.metrics;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, in logfmt ({@code key=value}, values quoted when they hold spaces), through its own logger
 * {@value #LOGGER} so that it can be routed or silenced apart from the rest:
 * {@code request id=… method=POST route=/v1/chat/completions model=smol status=200 prompt_tokens=34
 * completion_tokens=5 ttft_ms=212 total_ms=640}. Unknown values are left out.
 */
public final class RequestLog {
    public static final String LOGGER = "io.jinference.requests";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);

    private RequestLog() {
    }

    static void write(RequestRecord record, String route, int status, long totalNanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info(line(record, route, status, totalNanos));
        }
    }

    static String line(RequestRecord record, String route, int status, long totalNanos) {
        StringBuilder line = new StringBuilder("request");
        field(line, "id", record.id());
        field(line, "method", record.method());
        field(line, "route", route);
        field(line, "model", record.model());
        field(line, "status", Integer.toString(status));
        if (record.errorKind() != null) {
            field(line, "error", record.errorKind());
        }
        if (record.promptTokens() >= 0) {
            field(line, "prompt_tokens", Integer.toString(record.promptTokens()));
            field(line, "completion_tokens", Integer.toString(record.completionTokens()));
        }
        if (record.timeToFirstTokenNanos() >= 0) {
            field(line, "ttft_ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(record.timeToFirstTokenNanos())));
        }
        field(line, "total_ms", Long.toString(TimeUnit.NANOSECONDS.toMillis(totalNanos)));
        return line.toString();
    }

    private static void field(StringBuilder line, String key, String value) {
        if (value == null) {
            return;
        }
        line.append(' ').append(key).append('=');
        boolean plain = !value.isEmpty() && value.chars().allMatch(c -> c > ' ' && c != '"' && c != '=' && c < 127);
        if (plain) {
            line.append(value);
        } else {
            line.append('"').append(value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n")
                    .replace("\r", "\\r")).append('"');
        }
    }
}
