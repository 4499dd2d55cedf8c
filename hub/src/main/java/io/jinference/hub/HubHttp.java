package io.jinference.hub;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * HTTP for the hubs on {@code java.net.http}. Redirects are followed here rather than by the client, so that a token
 * is sent to the hub but never to the CDN host it redirects to (as huggingface_hub does), and so that relative
 * redirects (renamed repositories) and absolute ones (the CDN) both work.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    static final String USER_AGENT = "jinference/0.1.0; java.net.http";

    private final HttpClient client;
    private final Duration readTimeout;

    HubHttp(Duration connectTimeout, Duration readTimeout) {
        this.client = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();
        this.readTimeout = readTimeout;
    }

    HubHttp() {
        this(Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    /** GET with redirects followed; the body as a stream (the caller closes it), whatever the final status. */
    HttpResponse<InputStream> get(URI uri, String token, Map<String, String> headers)
            throws IOException, InterruptedException {
        URI current = uri;
        String host = uri.getHost();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = HttpRequest.newBuilder(current).timeout(readTimeout).GET()
                    .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity");
            headers.forEach(request::header);
            if (token != null && Objects.equals(current.getHost(), host)) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<InputStream> response = client.send(request.build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            int status = response.statusCode();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = response.headers().firstValue("Location").orElse(null);
                response.body().close();
                if (location == null) {
                    throw new IOException("Redirect " + status + " from " + current + " without a Location");
                }
                current = current.resolve(location);
                continue;
            }
            return response;
        }
        throw new IOException("More than " + MAX_REDIRECTS + " redirects from " + uri);
    }

    /** An I/O failure in words, also when it has no message (a refused connection, an unknown host). */
    static String describe(IOException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** GET of a small JSON or text document, redirects followed, read into memory. */
    Document getDocument(URI uri, String token) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = get(uri, token, Map.of());
        try (InputStream in = response.body()) {
            return new Document(response.statusCode(), in.readAllBytes(),
                    response.headers().firstValue("X-Error-Code").orElse(null));
        }
    }

    /**
     * A small response read whole.
     *
     * @param errorCode the hub's {@code X-Error-Code} ({@code RepoNotFound}, {@code RevisionNotFound},
     *     {@code GatedRepo}, …), or null
     */
    record Document(int status, byte[] body, String errorCode) {
    }
}
