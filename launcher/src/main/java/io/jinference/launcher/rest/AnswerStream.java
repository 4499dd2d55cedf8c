package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A whole chat completion sent as OpenAI's stream of chunks, for answers the host reshapes before the client sees
 * them (forced tool calls): per choice a chunk with the role and its content or {@code tool_calls} deltas (each call
 * whole, with its index), then one with the finish reason; the usage chunk when asked for; {@code [DONE]}.
 */
final class AnswerStream {
    private AnswerStream() {
    }

    static void send(Context ctx, JsonNode answer, boolean includeUsage) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        try {
            OutputStream out = ctx.res().getOutputStream();
            for (JsonNode choice : answer.path("choices")) {
                JsonNode message = choice.path("message");
                ObjectNode delta = Json.MAPPER.createObjectNode().put("role", "assistant");
                delta.set("content", message.path("content"));
                if (message.has("tool_calls")) {
                    ArrayNode calls = delta.putArray("tool_calls");
                    int index = 0;
                    for (JsonNode call : message.path("tool_calls")) {
                        calls.addObject().put("index", index++).setAll((ObjectNode) call.deepCopy());
                    }
                }
                ObjectNode content = chunk(answer, choice.path("index").asInt(), delta, null);
                if (choice.has("logprobs")) {
                    ((ObjectNode) content.path("choices").path(0)).set("logprobs", choice.path("logprobs"));
                }
                write(out, content);
                write(out, chunk(answer, choice.path("index").asInt(), Json.MAPPER.createObjectNode(),
                        choice.path("finish_reason").asText()));
            }
            if (includeUsage) {
                ObjectNode usage = envelope(answer);
                usage.putArray("choices");
                usage.set("usage", answer.path("usage"));
                write(out, usage);
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        } catch (IOException clientWentAway) {
            // Nothing is left to tell a client that has gone.
        }
    }

    private static ObjectNode chunk(JsonNode answer, int index, ObjectNode delta, String finishReason) {
        ObjectNode chunk = envelope(answer);
        ObjectNode choice = chunk.putArray("choices").addObject().put("index", index);
        choice.set("delta", delta);
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private static ObjectNode envelope(JsonNode answer) {
        ObjectNode chunk = Json.MAPPER.createObjectNode();
        chunk.set("id", answer.path("id"));
        chunk.put("object", "chat.completion.chunk");
        chunk.set("created", answer.path("created"));
        chunk.set("model", answer.path("model"));
        return chunk;
    }

    private static void write(OutputStream out, JsonNode event) throws IOException {
        out.write(("data: " + Json.write(event) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
