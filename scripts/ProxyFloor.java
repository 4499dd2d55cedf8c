import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * The smallest proxies that do what Jinference's pass-through does for a streamed chat request, to tell what the
 * HTTP server and client libraries cost from what Jinference's own code costs (scripts/bench-proxy-floor.sh). Not
 * part of Jinference: no errors, no cancellation, no metrics. Usage: {@code java -cp JETTY_JARS ProxyFloor.java MODE
 * ENGINE_URL PORT}, where MODE is
 * <ul>
 *   <li>{@code jetty}: a Jetty 12 core handler (the Jetty under Javalin, without servlets or Javalin) that reads the
 *       body, sends it with HttpURLConnection as Jinference does, and copies the answer with a flush per read;
 *   <li>{@code sockets}: a thread per client connection on plain blocking sockets (no server library), upstream also
 *       with HttpURLConnection, the answer re-framed as chunks;
 *   <li>{@code relay}: the same thread per connection, but the request's bytes are written to a new socket to the
 *       engine as they came and the answer's bytes copied back as they come, until the engine closes (llama-server
 *       closes its connection after a stream): no HTTP client library either.
 * </ul>
 */
public final class ProxyFloor {
    private static final String CHAT = "/v1/chat/completions";

    public static void main(String[] args) throws Exception {
        URI engine = URI.create(args[1]);
        int port = Integer.parseInt(args[2]);
        switch (args[0]) {
            case "jetty" -> jetty(engine, port);
            case "sockets" -> threadPerConnection(engine, port, false);
            case "relay" -> threadPerConnection(engine, port, true);
            default -> throw new IllegalArgumentException("mode: jetty, sockets or relay");
        }
    }

    /** Jetty with one selector and no acceptor thread, as Jinference's connector. */
    private static void jetty(URI engine, int port) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server, 0, 1, new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = Content.Source.asInputStream(request).readAllBytes();
                HttpURLConnection upstream = send(engine, body);
                response.setStatus(upstream.getResponseCode());
                response.getHeaders().put("Content-Type", upstream.getContentType());
                try (OutputStream client = Content.Sink.asOutputStream(response);
                        InputStream answer = upstream.getInputStream()) {
                    byte[] buffer = new byte[16 * 1024];
                    for (int read; (read = answer.read(buffer)) >= 0; ) {
                        client.write(buffer, 0, read);
                        client.flush();
                    }
                }
                callback.succeeded();
                return true;
            }
        });
        server.start();
        server.join();
    }

    private static HttpURLConnection send(URI engine, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) engine.resolve(CHAT).toURL().openConnection(Proxy.NO_PROXY);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        return connection;
    }

    private static void threadPerConnection(URI engine, int port, boolean relay) throws IOException {
        try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
            while (true) {
                Socket client = server.accept();
                client.setTcpNoDelay(true);
                new Thread(() -> {
                    try (client) {
                        serve(client, engine, relay);
                    } catch (IOException clientOrEngineClosed) {
                        // The thread ends with its connection.
                    }
                }).start();
            }
        }
    }

    /** Requests one after another on one kept-alive client connection. */
    private static void serve(Socket client, URI engine, boolean relay) throws IOException {
        InputStream in = new BufferedInputStream(client.getInputStream());
        OutputStream out = client.getOutputStream();
        while (true) {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int length = readHead(in, head);
            if (length < 0) {
                return;
            }
            byte[] body = in.readNBytes(length);
            if (relay) {
                relay(engine, head.toByteArray(), body, out);
            } else {
                forward(engine, body, out);
            }
        }
    }

    /** @return the Content-Length, or -1 when the client closed its connection */
    private static int readHead(InputStream in, ByteArrayOutputStream head) throws IOException {
        StringBuilder line = new StringBuilder();
        int length = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            if (c != '\n') {
                line.append((char) c);
                continue;
            }
            String field = line.toString().trim();
            if (field.isEmpty()) {
                return length;
            }
            if (field.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(field.substring(15).trim());
            }
            line.setLength(0);
        }
        return -1;
    }

    private static void forward(URI engine, byte[] body, OutputStream out) throws IOException {
        HttpURLConnection upstream = send(engine, body);
        String head = "HTTP/1.1 " + upstream.getResponseCode() + " OK\r\nContent-Type: " + upstream.getContentType()
                + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        byte[] buffer = new byte[16 * 1024];
        try (InputStream answer = upstream.getInputStream()) {
            for (int read; (read = answer.read(buffer)) >= 0; ) {
                out.write((Integer.toHexString(read) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(buffer, 0, read);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void relay(URI engine, byte[] head, byte[] body, OutputStream out) throws IOException {
        try (Socket upstream = new Socket(engine.getHost(), engine.getPort())) {
            upstream.setTcpNoDelay(true);
            OutputStream request = upstream.getOutputStream();
            request.write(head);
            request.write(body);
            request.flush();
            InputStream answer = upstream.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = answer.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                out.flush();
            }
        }
    }
}
