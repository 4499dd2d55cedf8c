package io.jinference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The request log's logfmt line and the request ids it carries. */
final class RequestLogTest {
    @Test
    void aSaneClientIdIsKeptAnyOtherIsReplaced() {
        assertThat(RequestIds.accept("abc-123.x:y_z")).isEqualTo("abc-123.x:y_z");
        assertThat(RequestIds.accept("two words")).matches("[0-9a-f-]{36}");
        assertThat(RequestIds.accept("line\nbreak")).matches("[0-9a-f-]{36}");
        assertThat(RequestIds.accept("x".repeat(129))).matches("[0-9a-f-]{36}");
        assertThat(RequestIds.accept(null)).matches("[0-9a-f-]{36}");
    }

    @Test
    void oneLineWithWhatIsKnownAndValuesQuotedWhenNeeded() {
        RequestRecord record = new RequestRecord("id-1", "POST", null);
        record.model("my model");
        record.usage(10, 4);
        record.error("model_terminated");
        String line = RequestLog.line(record, "/v1/chat/completions", 200, 2_500_000L);
        assertThat(line).isEqualTo("request id=id-1 method=POST route=/v1/chat/completions model=\"my model\" "
                + "status=200 error=model_terminated prompt_tokens=10 completion_tokens=4 total_ms=2");
        assertThat(RequestLog.line(new RequestRecord("id-2", "GET", null), "/status", 200, 0))
                .isEqualTo("request id=id-2 method=GET route=/status status=200 total_ms=0");
    }
}
