package io.jinference.engine.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a Server-Sent Events stream as OpenAI servers write it: one JSON document per {@code data:} line, comments
 * ({@code :keepalive}) and blank lines between them, {@code data: [DONE]} at the end.
 */
final class SseReader implements AutoCloseable {
    private final BufferedReader reader;
    private boolean done;

    SseReader(InputStream stream) {
        this.reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8));
    }

    /** The next event's data, or null at {@code [DONE]} or the end of the stream. */
    String next() throws IOException {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring("data:".length()).trim();
            if (data.equals("[DONE]")) {
                done = true;
                return null;
            }
            return data;
        }
        return null;
    }

    /** True once {@code [DONE]} was read: a stream that ends without it was cut off. */
    boolean done() {
        return done;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
