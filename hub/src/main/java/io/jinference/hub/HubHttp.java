package io.jinference.hub;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * HTTP for the hubs on the JDK's {@link HttpURLConnection}. Redirects are followed here rather than by the
 * connection, so that a token is sent to the hub but never to the CDN host it redirects to (as huggingface_hub does),
 * and so that relative redirects (renamed repositories) and absolute ones (the CDN) both work.
 *
 * <p>Why not {@code java.net.http}: measured on loopback against the hub stand-in (98 MB, warm JVM), its
 * {@code BodyHandlers.ofInputStream} delivered a file body at 200–400 MB/s where {@code HttpURLConnection} delivered
 * 500–1000 MB/s, and building an {@code HttpClient} initialises the default TLS context (the trust store) even for
 * a plain-http mirror, which cost a fresh {@code jinf download} JVM about half a second. Keep-alive connections are
 * pooled by the JDK ({@code http.maxConnections}, 5 per host by default, more than the parallel chunks use).
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 10;
    static final String USER_AGENT = "jinference/0.1.0; java.net.HttpURLConnection";

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    HubHttp(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = Math.toIntExact(connectTimeout.toMillis());
        this.readTimeoutMillis = Math.toIntExact(readTimeout.toMillis());
    }

    HubHttp() {
        this(Duration.ofSeconds(20), Duration.ofSeconds(60));
    }

    /**
     * GET with redirects followed; the answer with its body as a stream (the caller closes the response), whatever
     * the final status.
     */
    Response get(URI uri, String token, Map<String, String> headers) throws IOException, InterruptedException {
        return get(uri, token, uri.getHost(), headers);
    }

    /**
     * As {@link #get(URI, String, Map)}, sending the token only to {@code tokenHost}: for a request that starts at a
     * URL the hub redirected to before (its CDN), which must not get the token the hub gets.
     */
    Response get(URI uri, String token, String tokenHost, Map<String, String> headers)
            throws IOException, InterruptedException {
        URI current = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted before GET " + current);
            }
            HttpURLConnection connection = (HttpURLConnection) current.toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout(connectTimeoutMillis);
            connection.setReadTimeout(readTimeoutMillis);
            connection.setRequestProperty("User-Agent", USER_AGENT);
            connection.setRequestProperty("Accept", "*/*");
            connection.setRequestProperty("Accept-Encoding", "identity");
            headers.forEach(connection::setRequestProperty);
            if (token != null && Objects.equals(current.getHost(), tokenHost)) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            Response response = new Response(current, connection);
            int status = response.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                String location = connection.getHeaderField("Location");
                response.close();
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
        try (Response response = get(uri, token, Map.of())) {
            return new Document(response.status(), response.body().readAllBytes(),
                    response.header("X-Error-Code").orElse(null));
        }
    }

    /**
     * One answer: its status, headers and body. Closing it closes the body, which hands a fully read keep-alive
     * connection back to the JDK's pool; {@link #abort} drops the connection instead, also from another thread,
     * which ends a read blocked on it.
     */
    static final class Response implements Closeable {
        private final URI uri;
        private final HttpURLConnection connection;
        private final int status;
        private final InputStream body;

        private Response(URI uri, HttpURLConnection connection) throws IOException {
            this.uri = uri;
            this.connection = connection;
            this.status = connection.getResponseCode();
            InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            this.body = stream != null ? stream : InputStream.nullInputStream();
        }

        /** The URL that gave this answer: the one asked for, or where its redirects led. */
        URI uri() {
            return uri;
        }

        int status() {
            return status;
        }

        Optional<String> header(String name) {
            return Optional.ofNullable(connection.getHeaderField(name));
        }

        InputStream body() {
            return body;
        }

        void abort() {
            connection.disconnect();
        }

        @Override
        public void close() throws IOException {
            body.close();
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
