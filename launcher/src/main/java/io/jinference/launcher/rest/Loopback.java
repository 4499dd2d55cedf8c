package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.function.Supplier;

/**
 * This server's own routes called on loopback with the caller's key, for the APIs that are translations over the
 * OpenAI routes (Ollama's, OpenAI's Responses): the same access rules, checks, engines and abilities apply.
 */
final class Loopback {
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Supplier<String> address;

    Loopback(Supplier<String> address) {
        this.address = address;
    }

    /** POSTs {@code body} to {@code path}; an error answer is thrown as the same {@link ApiError}. */
    HttpResponse<InputStream> post(Context ctx, String path, ObjectNode body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address.get() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "Interrupted while generating");
        }
        if (response.statusCode() != 200) {
            JsonNode error = read(response);
            throw new ApiError(response.statusCode(), error.path("detail").asText(error.toString()),
                    error.at("/error/param").isTextual() ? error.at("/error/param").asText() : null);
        }
        return response;
    }

    static JsonNode read(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            return Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
