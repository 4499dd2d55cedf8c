package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Ollama's API ({@code /api/version}, {@code /api/tags}, {@code /api/show}, {@code /api/chat}, {@code /api/generate},
 * {@code /api/embed}) so that Ollama's clients work unchanged. The generating routes are a translation over this
 * server's own OpenAI routes, called on loopback with the caller's key: the same checks, engines and abilities, and
 * OpenAI's SSE stream becomes Ollama's NDJSON stream (one JSON object per line, the last with {@code "done": true}).
 */
final class OllamaHandler {
    private final ModelManager models;
    private final Supplier<String> address;
    private final Loopback loopback;

    private OllamaHandler(ModelManager models, Supplier<String> address) {
        this.models = models;
        this.address = address;
        this.loopback = new Loopback(address);
    }

    static void register(RoutesConfig routes, ModelManager models, Supplier<String> address) {
        OllamaHandler handler = new OllamaHandler(models, address);
        routes.get("/api/version", handler::version);
        routes.get("/api/tags", handler::tags);
        routes.post("/api/show", handler::show);
        routes.post("/api/chat", handler::chat);
        routes.post("/api/generate", handler::generate);
        routes.post("/api/embed", handler::embed);
    }

    void version(Context ctx) {
        Json.send(ctx, Map.of("version", XinferenceHandler.frameworkVersion()));
    }

    /** The launched models, as Ollama lists the models it has. */
    void tags(Context ctx) {
        List<Map<String, Object>> list = models.list().stream().map(instance -> {
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("name", instance.uid());
            model.put("model", instance.uid());
            model.put("modified_at", Instant.ofEpochSecond(instance.createdEpochSeconds()).toString());
            model.put("details", details(instance));
            return model;
        }).toList();
        Json.send(ctx, Map.of("models", list));
    }

    void show(Context ctx) {
        ModelInstance instance = models.get(Json.requiredText(Json.body(ctx), "model"));
        Map<String, Object> show = new LinkedHashMap<>();
        show.put("template", instance.family().chatTemplate() == null ? "" : instance.family().chatTemplate());
        show.put("details", details(instance));
        show.put("model_info", instance.describe(address.get()));
        show.put("capabilities", instance.family().abilities().contains("chat") ? List.of("completion")
                : List.of("embedding"));
        show.put("modified_at", Instant.ofEpochSecond(instance.createdEpochSeconds()).toString());
        Json.send(ctx, show);
    }

    private Map<String, Object> details(ModelInstance instance) {
        Map<String, Object> description = instance.describe(address.get());
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("format", description.get("model_format"));
        details.put("family", description.get("model_family"));
        details.put("families", List.of(String.valueOf(description.get("model_family"))));
        details.put("parameter_size", description.get("model_size_in_billions") + "B");
        details.put("quantization_level", description.get("quantization"));
        return details;
    }

    void chat(Context ctx) {
        ObjectNode body = Json.body(ctx);
        generateThrough(ctx, "/v1/chat/completions", OllamaRequests.chat(body), OllamaRequests.stream(body), true);
    }

    void generate(Context ctx) {
        ObjectNode body = Json.body(ctx);
        ObjectNode openAi = OllamaRequests.generate(body);
        generateThrough(ctx, openAi.has("prompt") ? "/v1/completions" : "/v1/chat/completions", openAi,
                OllamaRequests.stream(body), false);
    }

    void embed(Context ctx) {
        ObjectNode openAi = OllamaRequests.embed(Json.body(ctx));
        HttpResponse<InputStream> response = call(ctx, "/v1/embeddings", openAi);
        JsonNode answer = read(response);
        ArrayNode embeddings = Json.MAPPER.createArrayNode();
        answer.path("data").forEach(item -> embeddings.add(item.path("embedding")));
        ObjectNode embed = Json.MAPPER.createObjectNode().put("model", openAi.path("model").asText());
        embed.set("embeddings", embeddings);
        embed.put("prompt_eval_count", answer.at("/usage/prompt_tokens").asInt());
        Json.send(ctx, embed);
    }

    private void generateThrough(Context ctx, String path, ObjectNode openAi, boolean stream, boolean chat) {
        openAi.put("stream", stream);
        if (stream) {
            openAi.putObject("stream_options").put("include_usage", true);
        }
        HttpResponse<InputStream> response = call(ctx, path, openAi);
        String model = openAi.path("model").asText();
        if (!stream) {
            JsonNode answer = read(response);
            JsonNode choice = answer.path("choices").path(0);
            ObjectNode line = line(model, chat, choice.has("message") ? choice.path("message").path("content")
                    .asText("") : choice.path("text").asText(""), choice.at("/message/tool_calls"));
            done(line, choice.path("finish_reason").asText("stop"), answer.path("usage"));
            Json.send(ctx, line);
            return;
        }
        ctx.status(200);
        ctx.res().setContentType("application/x-ndjson");
        try (InputStream events = response.body();
                BufferedReader reader = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8))) {
            OutputStream out = ctx.res().getOutputStream();
            String finish = "stop";
            // OpenAI streams a call in pieces (its name, then its arguments); Ollama sends each call whole
            ArrayNode calls = Json.MAPPER.createArrayNode();
            for (String event = reader.readLine(); event != null; event = reader.readLine()) {
                if (!event.startsWith("data: ") || event.equals("data: [DONE]")) {
                    continue;
                }
                JsonNode chunk = Json.MAPPER.readTree(event.substring("data: ".length()));
                if (chunk.has("error")) {
                    write(out, Json.MAPPER.createObjectNode().put("error", chunk.at("/error/message").asText()));
                    return;
                }
                JsonNode choice = chunk.path("choices").path(0);
                String text = choice.has("delta") ? choice.at("/delta/content").asText("") : choice.path("text")
                        .asText("");
                for (JsonNode piece : choice.at("/delta/tool_calls")) {
                    addPiece(calls, piece);
                }
                if (!text.isEmpty()) {
                    write(out, line(model, chat, text, null));
                }
                if (choice.hasNonNull("finish_reason")) {
                    finish = choice.path("finish_reason").asText();
                    if (!calls.isEmpty()) {
                        write(out, line(model, chat, "", calls));
                        calls.removeAll();
                    }
                }
                if (chunk.has("usage") && chunk.path("choices").isEmpty()) {
                    ObjectNode last = line(model, chat, "", null);
                    done(last, finish, chunk.path("usage"));
                    write(out, last);
                }
            }
        } catch (IOException clientOrServerWentAway) {
            // Closing the loopback stream (try-with-resources) cancels the generation upstream.
        }
    }

    /** One Ollama answer object: {@code message} for chat, {@code response} for generate; not done yet. */
    private static ObjectNode line(String model, boolean chat, String text, JsonNode openAiToolCalls) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("model", model)
                .put("created_at", Instant.now().toString());
        if (chat) {
            ObjectNode message = line.putObject("message").put("role", "assistant").put("content", text);
            if (openAiToolCalls != null && openAiToolCalls.isArray() && !openAiToolCalls.isEmpty()) {
                ArrayNode calls = message.putArray("tool_calls");
                for (JsonNode call : openAiToolCalls) {
                    JsonNode arguments = parseArguments(call.at("/function/arguments").asText("{}"));
                    calls.addObject().putObject("function").put("name", call.at("/function/name").asText())
                            .set("arguments", arguments);
                }
            }
        } else {
            line.put("response", text);
        }
        line.put("done", false);
        return line;
    }

    /** Adds a streamed piece of an OpenAI tool call to the call of its index: the name, more of the arguments. */
    private static void addPiece(ArrayNode calls, JsonNode piece) {
        int index = piece.path("index").asInt(calls.size());
        while (calls.size() <= index) {
            calls.addObject().putObject("function").put("name", "").put("arguments", "");
        }
        ObjectNode function = (ObjectNode) calls.get(index).path("function");
        if (piece.at("/function/name").isTextual()) {
            function.put("name", piece.at("/function/name").asText());
        }
        function.put("arguments", function.path("arguments").asText() + piece.at("/function/arguments").asText(""));
    }

    private static JsonNode parseArguments(String arguments) {
        try {
            return Json.MAPPER.readTree(arguments);
        } catch (IOException incomplete) {
            return Json.MAPPER.getNodeFactory().textNode(arguments);
        }
    }

    private static void done(ObjectNode line, String finishReason, JsonNode usage) {
        line.put("done", true);
        line.put("done_reason", finishReason.equals("length") ? "length" : "stop");
        line.put("prompt_eval_count", usage.path("prompt_tokens").asInt());
        line.put("eval_count", usage.path("completion_tokens").asInt());
    }

    /** Calls this server's own route with the caller's key; an error answer becomes Ollama's {@code {"error"}}. */
    private HttpResponse<InputStream> call(Context ctx, String path, ObjectNode body) {
        return loopback.post(ctx, path, body);
    }

    private static JsonNode read(HttpResponse<InputStream> response) {
        return Loopback.read(response);
    }

    private static void write(OutputStream out, JsonNode line) throws IOException {
        out.write((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
