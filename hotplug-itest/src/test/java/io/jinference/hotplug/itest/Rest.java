package io.jinference.hotplug.itest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** Loopback HTTP to the server under test; every answer is parsed as JSON, as every answer must be. */
final class Rest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Rest(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    record Answer(int status, JsonNode json) {
        String detail() {
            return json.path("detail").asText();
        }
    }

    Answer get(String path) {
        return send(request(path).GET());
    }

    Answer delete(String path) {
        return send(request(path).DELETE());
    }

    Answer post(String path, Object json) {
        return send(request(path).header("Content-Type", "application/json").POST(jsonBody(json)));
    }

    Answer upload(String path, String method, byte[] jar) {
        return send(request(path).header("Content-Type", "application/java-archive")
                .method(method, BodyPublishers.ofByteArray(jar)));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofMinutes(2));
    }

    private static BodyPublisher jsonBody(Object json) {
        try {
            return BodyPublishers.ofString(MAPPER.writeValueAsString(json));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            var response = client.send(request.build(), BodyHandlers.ofString());
            return new Answer(response.statusCode(), MAPPER.readTree(response.body()));
        } catch (IOException e) {
            throw new AssertionError("The server did not answer JSON: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
