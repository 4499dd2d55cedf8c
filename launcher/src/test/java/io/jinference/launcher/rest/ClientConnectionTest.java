package io.jinference.launcher.rest;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher that notices a client going away while its request is handled, on a real Javalin/Jetty over real
 * sockets: a non-streaming handler that waits, as a generation does, learns that its client closed the connection;
 * and requests that finish normally on a kept-alive connection are not disturbed by it.
 */
final class ClientConnectionTest {
    private final BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private Javalin app;

    @BeforeEach
    void start() {
        app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            // Waits as a non-streaming generation waits: until the client goes away, or up to ?wait ms.
            config.routes.post("/generate", ctx -> {
                ctx.body();
                long wait = Long.parseLong(ctx.queryParam("wait"));
                try (ClientConnection client = ClientConnection.watch(ctx)) {
                    BufferedSink sink = new BufferedSink(client);
                    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(wait);
                    while (!sink.isCancelled() && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    seen.add(sink.isCancelled() ? "cancelled" : "finished");
                }
                ctx.result("done");
            });
        }).start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void aClientThatClosesItsConnectionCancelsTheWaitingRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            socket.getOutputStream().write(request(600_000).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            Thread.sleep(300);
        }

        assertThat(seen.poll(60, TimeUnit.SECONDS)).as("the handler learned the client went away")
                .isEqualTo("cancelled");
    }

    @Test
    void requestsOnAKeptAliveConnectionAreAnsweredOneAfterAnother() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", app.port())) {
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.US_ASCII));
            for (int i = 0; i < 3; i++) {
                out.write(request(50).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
                String line;
                while (!(line = in.readLine()).isEmpty()) {
                    assertThat(line).doesNotStartWithIgnoringCase("Connection: close");
                }
                char[] body = new char[4];
                assertThat(in.read(body)).isEqualTo(4);
                assertThat(new String(body)).isEqualTo("done");
                assertThat(seen.poll(60, TimeUnit.SECONDS)).isEqualTo("finished");
            }
        }
    }

    private static String request(long waitMillis) {
        return "POST /generate?wait=" + waitMillis + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    }
}
