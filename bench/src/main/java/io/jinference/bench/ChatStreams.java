package io.jinference.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/** Sends OpenAI chat completions with {@code stream: true} and times the Server-Sent Events as they arrive. */
final class ChatStreams {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

    private final HttpClient http;

    ChatStreams(HttpClient http) {
        this.http = http;
    }

    StreamResult stream(Target target, String prompt, int maxTokens, long seed) throws IOException, InterruptedException {
        HttpRequest request = chatRequest(target, prompt, maxTokens, seed);
        long sent = System.nanoTime();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new IOException(target.label() + ": " + e.getMessage(), e);
        }
        if (response.statusCode() != 200) {
            String body = String.join("\n", response.body().toList());
            throw new IOException(target.label() + " answered HTTP " + response.statusCode() + ": " + body);
        }
        long firstToken = -1;
        long lastToken = -1;
        int chunks = 0;
        int promptTokens = -1;
        int completionTokens = -1;
        try (Stream<String> lines = response.body()) {
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                Optional<JsonNode> event = SseEvents.data(it.next(), JSON);
                long now = System.nanoTime();
                if (event.isEmpty()) {
                    continue;
                }
                JsonNode chunk = event.get();
                if (chunk.has("error")) {
                    throw new IOException(target.label() + " streamed an error: " + chunk.get("error"));
                }
                if (SseEvents.hasContent(chunk)) {
                    chunks++;
                    firstToken = firstToken < 0 ? now : firstToken;
                    lastToken = now;
                }
                JsonNode usage = chunk.path("usage");
                if (usage.has("completion_tokens")) {
                    completionTokens = usage.get("completion_tokens").asInt();
                    promptTokens = usage.path("prompt_tokens").asInt(-1);
                }
            }
        }
        if (chunks == 0) {
            throw new IOException(target.label() + " streamed no content for a " + maxTokens + "-token request");
        }
        return new StreamResult(sent, firstToken, lastToken, System.nanoTime(), chunks, promptTokens, completionTokens);
    }

    /** The prompt's token count from a non-streamed answer, for servers that report no usage in a stream. */
    int promptTokens(Target target, String prompt) throws IOException, InterruptedException {
        Map<String, Object> body = chatBody(target, prompt, 1, 0);
        body.remove("stream");
        body.remove("stream_options");
        HttpResponse<String> response = http.send(post(target, body), HttpResponse.BodyHandlers.ofString());
        JsonNode usage = JSON.readTree(response.body()).path("usage");
        if (response.statusCode() != 200 || !usage.has("prompt_tokens")) {
            throw new IOException(target.label() + " reported no usage: HTTP " + response.statusCode() + " "
                    + response.body());
        }
        return usage.get("prompt_tokens").asInt();
    }

    private HttpRequest chatRequest(Target target, String prompt, int maxTokens, long seed) throws IOException {
        return post(target, chatBody(target, prompt, maxTokens, seed));
    }

    private static Map<String, Object> chatBody(Target target, String prompt, int maxTokens, long seed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", target.model());
        body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
        body.put("max_tokens", maxTokens);
        body.put("temperature", 0.8);
        body.put("seed", seed);
        // llama.cpp's server honours ignore_eos, so a run decodes max_tokens unless the server drops the field;
        // either way the rates divide by the tokens really produced.
        body.put("ignore_eos", true);
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        return body;
    }

    private static HttpRequest post(Target target, Map<String, Object> body) throws IOException {
        return HttpRequest.newBuilder(URI.create(target.baseUrl() + "/v1/chat/completions"))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }
}
