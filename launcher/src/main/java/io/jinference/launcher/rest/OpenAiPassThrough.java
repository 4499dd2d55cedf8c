package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.metrics.RequestRecord;
import io.jinference.metrics.RequestIds;
import io.jinference.metrics.SseUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Forwards an OpenAI request to the model's own OpenAI-compatible server (vLLM, SGLang, mlx_lm, llama-server, a model
 * host) as it is, and copies the answer back as it comes: a non-streaming request goes upstream non-streaming, a
 * stream's bytes are written through event by event with a flush each, status and content type kept. Nothing is
 * parsed or re-serialised except the model name, and that only where the server knows the model by another name
 * than its UID. Failures become the API's errors: an upstream error keeps its status (500 becomes 502) and
 * message, a server that does not answer is 503; once a stream has started, a failure (the server died, the model was terminated) ends it with an
 * {@code data: {"error": …}} event and {@code [DONE]}, never with a finish reason that claims the text is complete.
 * A client that goes away ({@link ClientConnection}) cancels the upstream request, which frees the server's slot.
 */
final class OpenAiPassThrough {
    /** How long connecting to the engine server may take; it is on loopback or the cluster's network. */
    private static final int CONNECT_TIMEOUT_MS = 2000;
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);
    /** Upstream error bodies are read this far at most. */
    private static final int MAX_ERROR_BYTES = 64 * 1024;

    private final Context ctx;
    /** The request's metrics and id; the answer-capturing mode has no context of its own. */
    private final RequestRecord record;
    private final String path;
    private final ObjectNode body;
    private final String uid;
    private final ClientConnection client;
    private OutputStream stream;
    /** True when the answer is kept for the caller ({@link #answer}) instead of being copied to the client. */
    private final boolean capture;
    private JsonNode captured;
    /** Null when the server knows the model by its UID, as vLLM, SGLang and llama-server do. */
    private ModelRename rename;
    /** Headers added to the upstream request: a cluster node's key, when the upstream is another node. */
    private Map<String, String> headers = Map.of();

    private OpenAiPassThrough(Context ctx, RequestRecord record, String path, ObjectNode body, String uid,
            ClientConnection client, boolean capture) {
        this.ctx = ctx;
        this.record = record;
        this.capture = capture;
        this.path = path;
        this.body = body;
        this.uid = uid;
        this.client = client;
    }

    /**
     * Forwards the request when the model is served by an OpenAI-compatible server.
     *
     * @param body the client's request; its {@code model} is the UID
     * @return false, having done nothing, when the model is served in this process
     */
    static boolean forward(Context ctx, RunningModel model, String path, ObjectNode body, String uid,
            ClientConnection client) {
        return forward(ctx, model, path, body, uid, client, Map.of());
    }

    /** {@link #forward}, adding {@code headers} to the upstream request (another cluster node's credentials). */
    static boolean forward(Context ctx, RunningModel model, String path, ObjectNode body, String uid,
            ClientConnection client, Map<String, String> headers) {
        OpenAiPassThrough exchange = new OpenAiPassThrough(ctx, Observed.of(ctx), path, body, uid, client, false);
        exchange.headers = headers;
        try {
            return model.forward(exchange::exchange);
        } catch (RuntimeException e) {
            if (exchange.stream == null) {
                throw e;
            }
            exchange.endStream(e);
            return true;
        }
    }

    /**
     * Sends {@code body} (which the host may have rewritten, and which must not stream) to the model's server and
     * returns its whole answer, for the host to reshape before the client sees it.
     *
     * @return null, having done nothing, when the model is served in this process; a missing node when the client
     *     went away before the answer came
     */
    static JsonNode answer(RequestRecord record, RunningModel model, String path, ObjectNode body, String uid,
            ClientConnection client) {
        OpenAiPassThrough exchange = new OpenAiPassThrough(null, record, path, body, uid, client, true);
        if (!model.forward(exchange::exchange)) {
            return null;
        }
        return exchange.captured != null ? exchange.captured
                : com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    /**
     * One blocking exchange on the handler's own thread: the request is written and the answer copied to the client
     * without any hand-off between threads. Each hand-off is a wake-up that, on a host whose cores the engine keeps
     * busy, waits for a time slice; the JDK's asynchronous client made several per request and cost 1.5 to 2 ms of
     * time to first token against llama-server (docs/benchmarks.md).
     *
     * <p>The connection is kept for the next request (the JDK's keep-alive cache), as a reverse proxy keeps its
     * upstream connections: a new one costs a connect here and an accept, a parser and, for a Python server, a
     * protocol object there, on every request. It is given back only when the answer was read to its end; a request
     * cut short (the client went away, the stream broke) closes its connection, which is how the server learns to
     * stop generating. A server that closes its connection after each stream ({@link
     * OpenAiUpstream#closesAfterStream}) gets {@code Connection: close} on streams instead. The body is sent
     * buffered, not in streaming mode: the JDK can still hand out a kept-alive connection that the server closed
     * while it lay idle, and only a buffered POST is sent again on a fresh connection then (the server never read
     * it); in streaming mode it failed as "Unexpected end of file from server".
     */
    private void exchange(OpenAiUpstream upstream) {
        rename = upstream.model().equals(uid) ? null : new ModelRename(upstream.model(), uid);
        byte[] request = requestBytes(upstream);
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) upstream.baseUrl().resolve(path).toURL().openConnection(Proxy.NO_PROXY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        if (upstream.closesAfterStream() && body.path("stream").asBoolean(false)) {
            connection.setRequestProperty("Connection", "close");
        }
        connection.setRequestProperty(RequestIds.HEADER, record.id());
        headers.forEach(connection::setRequestProperty);
        // Closing the connection is how the server learns to stop generating.
        client.onGone(connection::disconnect);
        if (client.gone()) {
            return;
        }
        boolean readToEnd = false;
        try {
            try (OutputStream body = connection.getOutputStream()) {
                body.write(request);
            }
            int status = connection.getResponseCode();
            if (status / 100 != 2) {
                throw upstreamError(status, connection.getErrorStream());
            }
            try (InputStream answer = connection.getInputStream()) {
                readToEnd = copyAnswer(status, connection.getContentType(), answer);
            }
        } catch (IOException e) {
            if (!client.gone()) {
                throw new UncheckedIOException(e);
            }
        } finally {
            if (!readToEnd) {
                connection.disconnect();
            }
        }
    }

    /** @return true when the answer was read to its end, so that its connection can serve the next request */
    private boolean copyAnswer(int status, String upstreamType, InputStream answer) throws IOException {
        if (capture) {
            byte[] document = answer.readAllBytes();
            captured = Json.MAPPER.readTree(rename == null ? document : rename.apply(document, document.length));
            return true;
        }
        ctx.status(status);
        String contentType = upstreamType == null ? "application/json" : upstreamType;
        if (contentType.startsWith("text/event-stream")) {
            return copyEvents(answer, contentType);
        }
        byte[] document = answer.readAllBytes();
        SseUsage.document(record, document, document.length);
        ctx.contentType(contentType).result(rename == null ? document : rename.apply(document, document.length));
        return true;
    }

    private byte[] requestBytes(OpenAiUpstream upstream) {
        if (capture && rename == null) {
            return Json.write(body).getBytes(StandardCharsets.UTF_8);
        }
        if (rename == null) {
            return ctx.bodyAsBytes();
        }
        ObjectNode renamed = body.deepCopy();
        renamed.put("model", upstream.model());
        return Json.write(renamed).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Writes the stream through as whole events (up to the last blank line read so far), so that an error event
     * appended after a broken stream never lands inside a half-written one.
     *
     * @return false when the client went away before the stream ended
     */
    private boolean copyEvents(InputStream answer, String contentType) throws IOException {
        ctx.res().setContentType(contentType);
        ctx.res().setHeader("Cache-Control", "no-cache");
        byte[] buffer = new byte[16 * 1024];
        int held = 0;
        boolean done = false;
        for (int read; (read = answer.read(buffer, held, buffer.length - held)) >= 0; ) {
            held += read;
            int end = lastEventEnd(buffer, held);
            if (end > 0) {
                done |= contains(buffer, end, DONE);
                boolean written = rename == null ? writeToClient(buffer, end)
                        : writeToClient(rename.apply(buffer, end));
                if (!written) {
                    return false;
                }
                // Read for the metrics after the client has the events, so that reading them never delays them.
                SseUsage.events(record, buffer, end);
                System.arraycopy(buffer, end, buffer, 0, held - end);
                held -= end;
            }
            if (held == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2);
            }
        }
        if (!done) {
            throw new IOException("the stream ended before data: [DONE]");
        }
        return held == 0 || writeToClient(buffer, held);
    }

    private boolean writeToClient(byte[] bytes) {
        return writeToClient(bytes, bytes.length);
    }

    /** False when the client has gone; the upstream request is then closed by the caller. */
    private boolean writeToClient(byte[] bytes, int length) {
        try {
            if (stream == null) {
                stream = ctx.res().getOutputStream();
            }
            stream.write(bytes, 0, length);
            stream.flush();
            return true;
        } catch (IOException clientWentAway) {
            return false;
        }
    }

    /** Ends a started stream that broke: an error event OpenAI clients raise, then {@code [DONE]}. */
    private void endStream(RuntimeException failure) {
        GenerationResponder.logUnexpected(uid, failure);
        record.error(GenerationResponder.type(failure));
        String event = "data: " + Json.write(Map.of("error", GenerationResponder.error(failure)))
                + "\n\ndata: [DONE]\n\n";
        writeToClient(event.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The server's error with its status, in the API's error shape. A server failure (5xx) says where it came from,
     * and its 500 becomes 502 (Bad Gateway): this server's own 500 means a bug here.
     */
    private static ApiError upstreamError(int status, InputStream answer) throws IOException {
        String text = answer == null ? "" : new String(answer.readNBytes(MAX_ERROR_BYTES), StandardCharsets.UTF_8);
        String message = upstreamMessage(text);
        if (status / 100 != 5) {
            return new ApiError(status, message, upstreamParam(text));
        }
        if (status == 501) {
            // llama-server's "does not support embeddings. Start it with --embeddings": the model was not launched
            // for what the request asks, which is the client's to change, not a server failure.
            return new ApiError(400, message, null);
        }
        return new ApiError(status == 500 ? 502 : status, "The engine server answered HTTP " + status + ": " + message);
    }

    /** OpenAI's {@code {"error": {"message"}}}, FastAPI's {@code {"detail"}}, or the text itself. */
    private static String upstreamMessage(String text) {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(text);
        } catch (IOException notJson) {
            return text.strip();
        }
        for (JsonNode message : new JsonNode[] {node.path("error").path("message"), node.path("error"),
                node.path("detail"), node.path("message")}) {
            if (message.isTextual()) {
                return message.asText();
            }
        }
        return text.strip();
    }

    /** OpenAI's {@code error.param}, which vLLM fills; null when the server names none. */
    private static String upstreamParam(String text) {
        try {
            JsonNode param = Json.MAPPER.readTree(text).path("error").path("param");
            return param.isTextual() ? param.asText() : null;
        } catch (IOException notJson) {
            return null;
        }
    }

    private static int lastEventEnd(byte[] buffer, int length) {
        for (int i = length - 1; i > 0; i--) {
            if (buffer[i] == '\n' && (buffer[i - 1] == '\n'
                    || (i > 2 && buffer[i - 1] == '\r' && buffer[i - 2] == '\n'))) {
                return i + 1;
            }
        }
        return 0;
    }

    private static boolean contains(byte[] buffer, int length, byte[] marker) {
        outer:
        for (int i = 0; i <= length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (buffer[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
