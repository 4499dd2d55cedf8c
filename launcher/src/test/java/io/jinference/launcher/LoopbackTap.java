package io.jinference.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between Jinference and an engine server that records each connection's bytes both ways,
 * so that a test can see what the server really received (was the request forwarded unchanged, non-streaming?),
 * what it answered, and which side closed the connection first (did Jinference abort the upstream request?).
 */
final class LoopbackTap implements AutoCloseable {
    private final ServerSocket listener;
    private final int targetPort;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();

    /** One relayed connection: what went up, what came back, and who hung up first. */
    static final class Connection {
        private final ByteArrayOutputStream up = new ByteArrayOutputStream();
        private final ByteArrayOutputStream down = new ByteArrayOutputStream();
        private volatile String closedFirstBy;

        /** The request bytes the server received (head and body). */
        synchronized String request() {
            return up.toString(StandardCharsets.UTF_8);
        }

        /** The request's body (after the blank line ending the head). */
        String requestBody() {
            String request = request();
            return request.substring(request.indexOf("\r\n\r\n") + 4);
        }

        /** The response bytes the server sent (head, then the body as framed on the wire). */
        synchronized byte[] response() {
            return down.toByteArray();
        }

        /** The HTTP responses the server sent on this connection, bodies as the server meant them (de-chunked). */
        List<Message> responses() {
            return Message.parseAll(response());
        }

        /** "client" when Jinference closed the connection first, "server" when the engine server did, else null. */
        String closedFirstBy() {
            return closedFirstBy;
        }

        private synchronized void record(boolean upward, byte[] bytes, int length) {
            (upward ? up : down).write(bytes, 0, length);
        }

        private synchronized void closed(String by) {
            if (closedFirstBy == null) {
                closedFirstBy = by;
            }
        }
    }

    /** One HTTP message off the wire: its head (start line and headers) and its body, de-chunked. */
    record Message(String head, byte[] body) {
        String contentType() {
            return head.lines().filter(line -> line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:"))
                    .map(line -> line.substring("content-type:".length()).trim()).findFirst().orElse("");
        }

        /** The messages in {@code wire}, in order; a message cut off by a closed connection is left out. */
        static List<Message> parseAll(byte[] wire) {
            List<Message> messages = new java.util.ArrayList<>();
            int at = 0;
            while (at < wire.length) {
                int headEnd = indexOf(wire, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), at);
                if (headEnd < 0) {
                    break;
                }
                String head = new String(wire, at, headEnd - at, StandardCharsets.ISO_8859_1);
                at = headEnd + 4;
                String lower = head.toLowerCase(java.util.Locale.ROOT);
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                if (lower.contains("transfer-encoding: chunked")) {
                    while (true) {
                        int lineEnd = indexOf(wire, "\r\n".getBytes(StandardCharsets.US_ASCII), at);
                        if (lineEnd < 0) {
                            return messages;
                        }
                        String size = new String(wire, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0];
                        int length = Integer.parseInt(size.trim(), 16);
                        at = lineEnd + 2;
                        if (length == 0) {
                            at += 2;
                            break;
                        }
                        if (at + length > wire.length) {
                            return messages;
                        }
                        body.write(wire, at, length);
                        at += length + 2;
                    }
                } else {
                    int length = lower.lines().filter(line -> line.startsWith("content-length:"))
                            .map(line -> Integer.parseInt(line.substring("content-length:".length()).trim()))
                            .findFirst().orElse(wire.length - at);
                    if (at + length > wire.length) {
                        return messages;
                    }
                    body.write(wire, at, length);
                    at += length;
                }
                messages.add(new Message(head, body.toByteArray()));
            }
            return messages;
        }

        private static int indexOf(byte[] bytes, byte[] marker, int from) {
            outer:
            for (int i = from; i <= bytes.length - marker.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (bytes[i + j] != marker[j]) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    LoopbackTap(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "tap-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** Every connection relayed so far, oldest first. */
    List<Connection> connections() {
        return List.copyOf(connections);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                Connection connection = new Connection();
                connections.add(connection);
                pump(client, server, connection, true);
                pump(server, client, connection, false);
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    throw new IllegalStateException("The tap cannot relay to port " + targetPort, e);
                }
            }
        }
    }

    private static void pump(Socket from, Socket to, Connection connection, boolean upward) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    connection.record(upward, buffer, read);
                    out.write(buffer, 0, read);
                    out.flush();
                }
                connection.closed(upward ? "client" : "server");
            } catch (IOException e) {
                connection.closed(upward ? "client" : "server");
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, upward ? "tap-up" : "tap-down");
        pump.setDaemon(true);
        pump.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Already closed by the other pump.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
