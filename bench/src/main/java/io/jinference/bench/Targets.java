package io.jinference.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts the two servers the benchmark compares, each with the same model file, threads, context and slots. */
final class Targets {
    private static final Duration STARTUP = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();

    private Targets() {
    }

    /** llama.cpp's own C++ HTTP server, as embedded in the xllamacpp PyPI package. */
    static Target startNative(BenchOptions options, HttpClient http) throws IOException, InterruptedException {
        int port = ChildServer.freePort();
        Path log = Files.createTempFile(options.workDirectory(), "native-llamacpp-", ".log");
        ChildServer server = ChildServer.start("native llama.cpp server", List.of(
                options.python().toString(), options.nativeServerScript().toString(),
                "--model", options.model().toString(), "--port", Integer.toString(port),
                "--threads", Integer.toString(options.threads()), "--ctx", Integer.toString(options.contextSize()),
                "--parallel", Integer.toString(options.parallelSlots())), port, log);
        try {
            server.awaitReady(http, "/health", STARTUP);
            return new Target("native llama.cpp", nativeDescription(log), server.baseUrl, "native", server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code jinf serve} with a fresh home, then SmolLM2 launched on the llama.cpp engine through POST /v1/models. */
    static Target startJinference(BenchOptions options, HttpClient http) throws IOException, InterruptedException {
        int port = ChildServer.freePort();
        Path home = Files.createTempDirectory(options.workDirectory(), "jinference-home-");
        Path log = Files.createTempFile(options.workDirectory(), "jinference-", ".log");
        ChildServer server = ChildServer.start("jinf serve", List.of(options.jinf().toString(), "serve",
                "--home", home.toString(), "--port", Integer.toString(port)), port, log);
        try {
            server.awaitReady(http, "/status", STARTUP);
            String uid = launch(http, server.baseUrl, launchBody(options));
            return new Target("Jinference", "Jinference llama.cpp engine (java-llama.cpp 4.2.0, llama.cpp b4916)",
                    server.baseUrl, uid, server);
        } catch (IOException | InterruptedException | RuntimeException e) {
            String logTail = server.logTail();
            server.close();
            throw new IOException(e.getMessage() + "\n" + logTail, e);
        }
    }

    private static Map<String, Object> launchBody(BenchOptions options) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_uid", "bench-smollm2");
        body.put("model_name", "smollm2-instruct");
        body.put("model_engine", "llama.cpp");
        body.put("model_format", "ggufv2");
        body.put("quantization", "q4_1");
        body.put("model_path", options.model().toString());
        body.put("n_ctx", options.contextSize());
        body.put("n_threads", options.threads());
        body.put("n_parallel", options.parallelSlots());
        return body;
    }

    private static String launch(HttpClient http, String baseUrl, Map<String, Object> body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/models"))
                .timeout(STARTUP)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("launching the model failed: HTTP " + response.statusCode() + " " + response.body());
        }
        JsonNode launched = JSON.readTree(response.body());
        return launched.path("model_uid").asText();
    }

    private static String nativeDescription(Path log) throws IOException {
        return Files.readAllLines(log).stream()
                .filter(line -> line.startsWith("listening "))
                .map(line -> "llama.cpp server in " + line.substring(line.indexOf("xllamacpp")).trim())
                .findFirst()
                .orElse("llama.cpp server in xllamacpp");
    }
}
