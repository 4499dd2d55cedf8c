package io.jinference.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reads what a passed-through OpenAI answer says about itself, without changing a byte of it: when the first token
 * went out, and the token counts. An SSE stream's counts come from its {@code usage} chunk when the client asked
 * for one ({@code stream_options.include_usage}), else from llama-server's {@code timings} on its final chunk. Only
 * the events that can carry them are parsed.
 */
public final class SseUsage {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern EVENT_END = Pattern.compile("\\r?\\n\\r?\\n");
    private static final Pattern LINE_END = Pattern.compile("\\r?\\n");

    private SseUsage() {
    }

    /** Whole events {@code bytes[0, length)} of a stream have been written to the client. */
    public static void events(RequestRecord record, byte[] bytes, int length) {
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        for (String event : EVENT_END.split(text)) {
            String data = data(event);
            if (data == null || data.equals("[DONE]")) {
                continue;
            }
            if (record.firstTokenNanos() < 0 && carriesText(data)) {
                record.firstToken();
            }
            if (data.contains("\"usage\"") || data.contains("\"timings\"")) {
                read(record, data);
            }
        }
    }

    /** A whole JSON answer (not streamed): its {@code usage}. */
    public static void document(RequestRecord record, byte[] document, int length) {
        read(record, new String(document, 0, length, StandardCharsets.UTF_8));
    }

    private static String data(String event) {
        StringBuilder data = null;
        for (String line : LINE_END.split(event)) {
            if (line.startsWith("data:")) {
                String value = line.substring(5).stripLeading();
                data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            }
        }
        return data == null ? null : data.toString();
    }

    /** A chunk with generated text: chat's {@code "content":"…"} or completions' {@code "text":"…"}, not empty. */
    private static boolean carriesText(String data) {
        return (data.contains("\"content\":\"") && !data.contains("\"content\":\"\""))
                || (data.contains("\"text\":\"") && !data.contains("\"text\":\"\""));
    }

    private static void read(RequestRecord record, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException notJson) {
            return;
        }
        if (node == null) {
            return;
        }
        JsonNode usage = node.path("usage");
        if (usage.path("completion_tokens").isNumber()) {
            record.usage(usage.path("prompt_tokens").asInt(-1), usage.path("completion_tokens").asInt());
            return;
        }
        JsonNode timings = node.path("timings");
        if (timings.path("predicted_n").isNumber() && record.completionTokens() < 0) {
            record.usage(timings.path("prompt_n").asInt(-1) + timings.path("cache_n").asInt(0),
                    timings.path("predicted_n").asInt());
        }
    }
}
