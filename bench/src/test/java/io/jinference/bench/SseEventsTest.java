package io.jinference.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SseEventsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void dataLinesCarryJson() {
        assertThat(SseEvents.data("data: {\"id\":\"x\"}", json)).hasValueSatisfying(
                chunk -> assertThat(chunk.get("id").asText()).isEqualTo("x"));
        assertThat(SseEvents.data("data:{\"id\":\"y\"}", json)).isPresent();
    }

    @Test
    void doneBlankAndOtherLinesCarryNothing() {
        assertThat(SseEvents.data("data: [DONE]", json)).isEmpty();
        assertThat(SseEvents.data("", json)).isEmpty();
        assertThat(SseEvents.data(": ping", json)).isEmpty();
        assertThat(SseEvents.data("event: message", json)).isEmpty();
    }

    @Test
    void brokenJsonIsReportedWithThePayload() {
        assertThatThrownBy(() -> SseEvents.data("data: {oops", json)).hasMessageContaining("{oops");
    }

    @Test
    void onlyNonEmptyContentDeltasCount() throws Exception {
        assertThat(SseEvents.hasContent(json.readTree("{\"choices\":[{\"delta\":{\"content\":\"Par\"}}]}"))).isTrue();
        assertThat(SseEvents.hasContent(json.readTree("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}")))
                .isFalse();
        assertThat(SseEvents.hasContent(json.readTree("{\"choices\":[{\"delta\":{\"content\":\"\"}}]}"))).isFalse();
        assertThat(SseEvents.hasContent(json.readTree("{\"choices\":[],\"usage\":{\"completion_tokens\":3}}")))
                .isFalse();
    }
}
