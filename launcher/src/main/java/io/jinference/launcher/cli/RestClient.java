package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** A thin client of the Jinference REST API for the command line (java.net.http + Jackson). */
final class RestClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String endpoint;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String apiKey;

    /** @param apiKey sent as {@code Authorization: Bearer}; null sends none */
    RestClient(String endpoint, String apiKey) {
        this.endpoint = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
        this.apiKey = apiKey;
    }

    String endpoint() {
        return endpoint;
    }

    JsonNode get(String path) throws ServerUnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    JsonNode delete(String path) throws ServerUnreachableException {
        return send(HttpRequest.newBuilder(uri(path)).DELETE());
    }

    JsonNode post(String path, Object body) throws ServerUnreachableException {
        return send(json(path, body));
    }

    JsonNode put(String path, Object body) throws ServerUnreachableException {
        HttpRequest.Builder request = json(path, body);
        return send(request.method("PUT", request.build().bodyPublisher().orElseThrow()));
    }

    /** POSTs a streaming request and hands every {@code data:} event's JSON to {@code onEvent}. */
    void stream(String path, Object body, Consumer<JsonNode> onEvent) throws ServerUnreachableException {
        HttpResponse<InputStream> response = exchange(json(path, body), HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                throw failure(response.statusCode(), reader.lines().collect(Collectors.joining("\n")));
            }
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.startsWith("data:")) {
                    continue;
                }
                String data = line.substring("data:".length()).trim();
                if (data.equals("[DONE]")) {
                    return;
                }
                JsonNode event = MAPPER.readTree(data);
                if (event.has("error")) {
                    throw new ApiCallException(500, event.path("error").path("message").asText());
                }
                onEvent.accept(event);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the stream from " + endpoint + " failed", e);
        }
    }

    static String query(Map<String, String> parameters) {
        String query = parameters.entrySet().stream().filter(entry -> entry.getValue() != null)
                .map(entry -> entry.getKey() + "=" + URLEncoder.encode(entry.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }

    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder json(String path, Object body) {
        try {
            return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(MAPPER.writeValueAsString(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(endpoint + path);
    }

    private JsonNode send(HttpRequest.Builder request) throws ServerUnreachableException {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), response.body());
        }
        try {
            return MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new ApiCallException(response.statusCode(), "The server answered no JSON: " + response.body());
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws ServerUnreachableException {
        try {
            if (apiKey != null && !apiKey.isBlank()) {
                request.header("Authorization", "Bearer " + apiKey.trim());
            }
            return http.send(request.build(), handler);
        } catch (ConnectException e) {
            throw new ServerUnreachableException(endpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("Calling " + endpoint + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    private static ApiCallException failure(int status, String body) {
        try {
            JsonNode json = MAPPER.readTree(body);
            return new ApiCallException(status, json.path("detail").asText(body));
        } catch (IOException e) {
            return new ApiCallException(status, body);
        }
    }

    /** The server answered with an error status; the message is its {@code detail}. */
    static final class ApiCallException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        ApiCallException(int status, String detail) {
            super(detail);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** No server listens at the endpoint. */
    static final class ServerUnreachableException extends Exception {
        private static final long serialVersionUID = 1L;

        ServerUnreachableException(String endpoint) {
            super("No Jinference server answers at " + endpoint + "; start one with: jinf serve");
        }
    }
}
