package io.jinference.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Real HTTP on loopback for the tests. */
final class Http {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final String base;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Http(int port) {
        this("127.0.0.1", port);
    }

    /** A server on another address (a cluster node in its own network namespace). */
    Http(String host, int port) {
        this.base = "http://" + host + ":" + port;
    }

    record Answer(int status, String body, String contentType) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("Not JSON (" + status + "): " + body, e);
            }
        }

        String detail() {
            return json().path("detail").asText();
        }

        /** The JSON of every {@code data:} event except {@code [DONE]}, in order. */
        List<JsonNode> events() {
            List<JsonNode> events = new ArrayList<>();
            body.lines().filter(line -> line.startsWith("data: ") && !line.equals("data: [DONE]"))
                    .forEach(line -> {
                        try {
                            events.add(MAPPER.readTree(line.substring("data: ".length())));
                        } catch (IOException e) {
                            throw new AssertionError("Bad event: " + line, e);
                        }
                    });
            return events;
        }
    }

    /** The address of a route, for a test that sends with a client of its own. */
    URI uri(String path) {
        return URI.create(base + path);
    }

    Answer get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    Answer delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    Answer post(String path, Object body) {
        try {
            String text = body instanceof String string ? string : MAPPER.writeValueAsString(body);
            return postRaw(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A jar upload, as {@code POST /v1/engine-bundles} takes it. */
    Answer postJar(String path, byte[] jar) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
    }

    /** A streaming POST whose lines are handed over as they arrive; closing the stream drops the connection. */
    Stream<String> streamLines(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body))).build();
            return client.send(request, HttpResponse.BodyHandlers.ofLines()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = client.send(request.timeout(Duration.ofMinutes(2)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(),
                    response.headers().firstValue("Content-Type").orElse(""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
