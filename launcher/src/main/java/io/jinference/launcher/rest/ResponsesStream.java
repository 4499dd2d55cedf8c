package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A streamed chat completion relayed as the Responses API's events: {@code response.created} and
 * {@code response.in_progress}; for the text, {@code response.output_item.added}, {@code response.content_part.added},
 * one {@code response.output_text.delta} per chunk, then the {@code .done} events; for each tool call,
 * {@code response.output_item.added} (a {@code function_call}) and {@code response.function_call_arguments.delta}s,
 * then their {@code .done} events; finally {@code response.completed} (or {@code response.incomplete} when
 * {@code max_output_tokens} cut it) with the whole response and its usage. A chat stream that fails midway ends with
 * an {@code error} event, which OpenAI's clients raise.
 */
final class ResponsesStream {
    private final OutputStream out;
    private final ResponseObject response;
    private int sequence;
    /** The output items in order; the text message, once started, comes first. */
    private final List<ObjectNode> items = new ArrayList<>();
    private ObjectNode message;
    private final StringBuilder text = new StringBuilder();
    /** Tool calls by their index in chat's {@code tool_calls}. */
    private final Map<Integer, ToolCall> calls = new TreeMap<>();

    private ResponsesStream(OutputStream out, ResponseObject response) {
        this.out = out;
        this.response = response;
    }

    /** One streamed function call being put together. */
    private static final class ToolCall {
        final ObjectNode item;
        final int outputIndex;
        final StringBuilder arguments = new StringBuilder();

        ToolCall(ObjectNode item, int outputIndex) {
            this.item = item;
            this.outputIndex = outputIndex;
        }
    }

    /** Writes the events of {@code chatStream} (chat completion chunks, SSE) to the client until it ends. */
    static void relay(Context ctx, InputStream chatStream, ResponseObject response) {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setHeader("Cache-Control", "no-cache");
        try (InputStream events = chatStream; BufferedReader reader = new BufferedReader(
                new InputStreamReader(events, StandardCharsets.UTF_8))) {
            new ResponsesStream(ctx.res().getOutputStream(), response).run(reader);
        } catch (IOException clientOrServerWentAway) {
            // Closing the loopback stream (try-with-resources) cancels the generation upstream.
        }
    }

    private void run(BufferedReader reader) throws IOException {
        ObjectNode started = response.envelope(null, Json.MAPPER.createArrayNode(), null);
        emit("response.created", Json.MAPPER.createObjectNode().set("response", started));
        emit("response.in_progress", Json.MAPPER.createObjectNode().set("response", started));
        String finish = null;
        JsonNode usage = null;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
                continue;
            }
            JsonNode chunk = Json.MAPPER.readTree(line.substring("data: ".length()));
            if (chunk.has("error")) {
                ObjectNode error = Json.MAPPER.createObjectNode();
                error.set("code", chunk.at("/error/code"));
                error.set("message", chunk.at("/error/message"));
                error.set("param", chunk.at("/error/param"));
                error.set("error", chunk.path("error"));
                emit("error", error);
                return;
            }
            if (chunk.path("usage").isObject()) {
                usage = ResponseObject.usage(chunk.path("usage"));
            }
            JsonNode choice = chunk.path("choices").path(0);
            String delta = choice.at("/delta/content").asText("");
            if (!delta.isEmpty()) {
                text(delta);
            }
            for (JsonNode call : choice.at("/delta/tool_calls")) {
                toolCall(call);
            }
            if (choice.hasNonNull("finish_reason")) {
                finish = choice.path("finish_reason").asText();
            }
        }
        if (finish == null) {
            ObjectNode error = Json.MAPPER.createObjectNode().put("code", 502)
                    .put("message", "The chat stream ended without a finish reason").putNull("param");
            emit("error", error);
            return;
        }
        if (message == null && calls.isEmpty()) {
            startMessage();
        }
        finishItems();
        ArrayNode output = Json.MAPPER.createArrayNode();
        items.forEach(output::add);
        ObjectNode done = response.envelope(finish, output, usage);
        emit("length".equals(finish) ? "response.incomplete" : "response.completed",
                Json.MAPPER.createObjectNode().set("response", done));
    }

    private void text(String delta) throws IOException {
        if (message == null) {
            startMessage();
        }
        text.append(delta);
        ObjectNode event = part(message).put("delta", delta);
        event.putArray("logprobs");
        emit("response.output_text.delta", event);
    }

    private void startMessage() throws IOException {
        message = ResponseObject.message(ResponseObject.newMessageId(), null, "in_progress");
        items.add(message);
        emit("response.output_item.added", added(message));
        ObjectNode part = part(message);
        part.set("part", ResponseObject.outputText(""));
        emit("response.content_part.added", part);
    }

    private void toolCall(JsonNode delta) throws IOException {
        int index = delta.path("index").asInt(calls.size());
        ToolCall call = calls.get(index);
        if (call == null) {
            ObjectNode item = ResponseObject.functionCall(ResponseObject.newCallItemId(), delta.path("id").asText(),
                    delta.at("/function/name").asText(), "", "in_progress");
            call = new ToolCall(item, items.size());
            calls.put(index, call);
            items.add(item);
            emit("response.output_item.added", added(item));
        }
        String arguments = delta.at("/function/arguments").asText("");
        if (!arguments.isEmpty()) {
            call.arguments.append(arguments);
            emit("response.function_call_arguments.delta", Json.MAPPER.createObjectNode()
                    .put("item_id", call.item.path("id").asText()).put("output_index", call.outputIndex)
                    .put("delta", arguments));
        }
    }

    /** The {@code .done} events of every item, in output order, each item marked completed with its whole text. */
    private void finishItems() throws IOException {
        if (message != null) {
            ObjectNode textDone = part(message).put("text", text.toString());
            textDone.putArray("logprobs");
            emit("response.output_text.done", textDone);
            ObjectNode partDone = part(message);
            partDone.set("part", ResponseObject.outputText(text.toString()));
            emit("response.content_part.done", partDone);
            message.put("status", "completed");
            message.withArray("content").add(ResponseObject.outputText(text.toString()));
            emit("response.output_item.done", added(message));
        }
        for (ToolCall call : calls.values()) {
            call.item.put("arguments", call.arguments.toString()).put("status", "completed");
            emit("response.function_call_arguments.done", Json.MAPPER.createObjectNode()
                    .put("item_id", call.item.path("id").asText()).put("output_index", call.outputIndex)
                    .put("name", call.item.path("name").asText()).put("arguments", call.arguments.toString()));
            emit("response.output_item.done", added(call.item));
        }
    }

    private ObjectNode added(ObjectNode item) {
        ObjectNode event = Json.MAPPER.createObjectNode().put("output_index", items.indexOf(item));
        event.set("item", item.deepCopy());
        return event;
    }

    private ObjectNode part(ObjectNode item) {
        return Json.MAPPER.createObjectNode().put("item_id", item.path("id").asText())
                .put("output_index", items.indexOf(item)).put("content_index", 0);
    }

    private void emit(String type, ObjectNode event) throws IOException {
        ObjectNode typed = Json.MAPPER.createObjectNode().put("type", type).put("sequence_number", sequence++);
        typed.setAll(event);
        out.write(("event: " + type + "\ndata: " + Json.write(typed) + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
