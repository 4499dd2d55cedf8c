package io.jinference.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Token counts and the first token read from passed-through answers, as llama-server and vLLM write them. */
final class SseUsageTest {
    @Test
    void llamaServersFinalChunkTimingsGiveTheCounts() {
        RequestRecord record = RequestRecord.detached();
        feed(record, "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n");
        assertThat(record.firstTokenNanos()).as("the role chunk carries no text").isNegative();
        feed(record, "data: {\"choices\":[{\"delta\":{\"content\":\"La\"}}]}\n\n"
                + "data: {\"choices\":[{\"finish_reason\":\"length\",\"delta\":{}}],\"timings\":{\"cache_n\":2,"
                + "\"prompt_n\":32,\"predicted_n\":5}}\n\ndata: [DONE]\n\n");
        assertThat(record.firstTokenNanos()).isPositive();
        assertThat(record.promptTokens()).isEqualTo(34);
        assertThat(record.completionTokens()).isEqualTo(5);
    }

    @Test
    void aUsageChunkWinsOverTimings() {
        RequestRecord record = RequestRecord.detached();
        feed(record, "data: {\"choices\":[{\"text\":\" Paris\"}]}\r\n\r\n"
                + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3}}\r\n\r\n");
        assertThat(record.firstTokenNanos()).isPositive();
        assertThat(record.promptTokens()).isEqualTo(9);
        assertThat(record.completionTokens()).isEqualTo(3);
    }

    @Test
    void aWholeDocumentsUsageIsRead() {
        RequestRecord record = RequestRecord.detached();
        byte[] document = "{\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":8}}".getBytes(StandardCharsets.UTF_8);
        SseUsage.document(record, document, document.length);
        assertThat(record.completionTokens()).isEqualTo(8);
        SseUsage.document(RequestRecord.detached(), "not json".getBytes(StandardCharsets.UTF_8), 8);
    }

    private static void feed(RequestRecord record, String events) {
        byte[] bytes = events.getBytes(StandardCharsets.UTF_8);
        SseUsage.events(record, bytes, bytes.length);
    }
}
