package io.jinference.engine.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.FinishReason;
import io.jinference.api.SamplingParams;
import io.jinference.api.Usage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class OpenAiJsonTest {

    @Test
    void chatBodyStreamsUnderTheUpstreamNameWithSamplingAndExtraKeys() {
        SamplingParams sampling = new SamplingParams(16, 0.5, null, 40, 7L, List.of("\n"), null,
                Map.of("min_p", 0.1, "stream", false, "model", "client-name"));
        JsonNode body = OpenAiJson.parse(OpenAiJson.chatBody("uid-1",
                new ChatRequest(List.of(new ChatMessage("user", "Hi")), sampling)));

        assertThat(body.path("model").asText()).isEqualTo("uid-1");
        assertThat(body.path("stream").asBoolean()).isTrue();
        assertThat(body.path("stream_options").path("include_usage").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(16);
        assertThat(body.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(body.path("top_k").asInt()).isEqualTo(40);
        assertThat(body.path("seed").asLong()).isEqualTo(7);
        assertThat(body.path("stop").path(0).asText()).isEqualTo("\n");
        assertThat(body.path("min_p").asDouble()).isEqualTo(0.1);
        assertThat(body.has("top_p")).isFalse();
        assertThat(body.path("messages").path(0).path("content").asText()).isEqualTo("Hi");
    }

    @Test
    void readsDeltasFinishReasonsAndUsage() {
        JsonNode chat = OpenAiJson.parse("{\"choices\":[{\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}");
        JsonNode completion = OpenAiJson.parse("{\"choices\":[{\"text\":\"lo\",\"finish_reason\":\"length\"}]}");
        JsonNode last = OpenAiJson.parse("{\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}");

        assertThat(OpenAiJson.deltaText(chat)).isEqualTo("Hel");
        assertThat(OpenAiJson.finishReason(chat)).isNull();
        assertThat(OpenAiJson.deltaText(completion)).isEqualTo("lo");
        assertThat(OpenAiJson.finishReason(completion)).isEqualTo(FinishReason.LENGTH);
        assertThat(OpenAiJson.usage(last)).isEqualTo(new Usage(3, 2));
        assertThat(OpenAiJson.deltaText(last)).isEmpty();
    }

    @Test
    void errorMessagesComeFromTheUsualPlaces() {
        assertThat(OpenAiJson.errorMessage("{\"error\":{\"message\":\"too long\"}}")).isEqualTo("too long");
        assertThat(OpenAiJson.errorMessage("{\"detail\":\"bad\"}")).isEqualTo("bad");
        assertThat(OpenAiJson.errorMessage("Internal Server Error")).isEqualTo("Internal Server Error");
    }

    @Test
    void sseReaderSkipsCommentsAndStopsAtDone() throws Exception {
        String stream = ": keepalive 1/1\n\ndata: {\"a\":1}\n\ndata:{\"b\":2}\n\ndata: [DONE]\n\ndata: {\"c\":3}\n";
        try (SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            assertThat(reader.next()).isEqualTo("{\"a\":1}");
            assertThat(reader.next()).isEqualTo("{\"b\":2}");
            assertThat(reader.next()).isNull();
        }
    }
}
