package io.jinference.clients;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code jinf serve}: the launcher's packaged distribution ({@code bin/jinf}) as a child process with a home of
 * its own, on a free loopback port, with SmolLM2-135M-Instruct launched on llama.cpp's llama-server backend. The
 * llama-server binary is the one named by {@code $JINFERENCE_LLAMA_SERVER} (Surefire hands it over as
 * {@value #LLAMA_SERVER_PROPERTY}); without it the tests are skipped, except on CI ({@code CI=true}), where they fail.
 */
final class JinfServe implements AutoCloseable {
    static final String LLAMA_SERVER_PROPERTY = "jinference.test.llamaServer";
    /** The UID the tests use for SmolLM2; the OpenAI clients send it as the model name. */
    static final String MODEL = "smollm2-java-clients";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private JinfServe(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts the server in {@code home}, waits for {@code /status} and launches SmolLM2 on llama-server. */
    static JinfServe startWithSmolLm2(Path home) {
        Path llamaServer = llamaServer();
        Path jinf = Path.of(System.getProperty("jinference.dist"), "bin", "jinf");
        if (!Files.isExecutable(jinf)) {
            fail(jinf + " is missing: the launcher module's package phase builds it (./mvnw verify runs it first)");
        }
        int port = freePort();
        Path log = home.resolve("serve.log");
        try {
            Files.createDirectories(home);
            ProcessBuilder builder = new ProcessBuilder(jinf.toString(), "serve", "--home", home.toString(),
                    "--port", Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JINFERENCE_LLAMA_SERVER", llamaServer.toString());
            JinfServe server = new JinfServe(builder.start(), port, log);
            try {
                server.awaitStatus();
                server.launchSmolLm2();
            } catch (RuntimeException | AssertionError e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The OpenAI base URL, as both clients take it. */
    String openAiBaseUrl() {
        return "http://127.0.0.1:" + port + "/v1";
    }

    private void launchSmolLm2() {
        Map<String, Object> launch = Map.of("model_name", "smollm2-instruct", "model_format", "ggufv2",
                "quantization", "q4_1", "model_path", smolLm2().toString(), "model_engine", "llama.cpp",
                "model_backend", "server", "model_uid", MODEL, "n_parallel", 2);
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                    + "/v1/models")).timeout(Duration.ofMinutes(3)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(launch))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new AssertionError("Launching SmolLM2 answered " + answer.statusCode() + ": " + answer.body()
                        + "\n" + logText());
            }
            JsonNode engine = describe().path("engine_details");
            if (!"server".equals(engine.path("backend").asText())) {
                throw new AssertionError("SmolLM2 is not on the llama-server backend: " + engine);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private JsonNode describe() throws IOException, InterruptedException {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/v1/models/" + MODEL)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(answer.body());
    }

    private void awaitStatus() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> status = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/status")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (status.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(250);
        }
        throw new AssertionError("jinf serve did not answer /status" + (process.isAlive() ? " in time" : ", it exited")
                + ":\n" + logText());
    }

    String logText() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static Path llamaServer() {
        String configured = System.getProperty(LLAMA_SERVER_PROPERTY, "");
        if (configured.startsWith("${")) {
            configured = ""; // Maven left ${env.JINFERENCE_LLAMA_SERVER} as it was: the variable is unset
        }
        Path binary = configured.isBlank() ? null : Path.of(configured);
        if (binary == null || !Files.isExecutable(binary)) {
            String why = "JINFERENCE_LLAMA_SERVER must name an executable llama-server (e.g. the one `jinf runtimes"
                    + " install llama.cpp` builds); it is " + (configured.isBlank() ? "unset" : "'" + configured + "'");
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return binary;
    }

    private static Path smolLm2() {
        String configured = System.getenv("JINFERENCE_SMOLLM2");
        Path path = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/jinference/models/SmolLM2-135M-Instruct.Q4_1.gguf");
        if (!Files.isRegularFile(path)) {
            fail("SmolLM2 GGUF missing at " + path + ": run scripts/fetch-smollm2.sh (or set JINFERENCE_SMOLLM2)");
        }
        return path;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGTERM: the server stops its models (and so llama-server) before it exits. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
