package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The pass-through to a model's own OpenAI-compatible server, against the real {@code llama-server} (named by
 * {@code JINFERENCE_LLAMA_SERVER}) serving SmolLM2, behind the real Jinference server (Felix, model manager, REST on
 * loopback) and a {@link LoopbackTap} that records what llama-server received and answered:
 * <ul>
 *   <li>a non-streaming request goes upstream unchanged and non-streaming; a stream's bytes arrive unchanged;</li>
 *   <li>plain requests share a kept upstream connection; streams ask llama-server for one of their own;</li>
 *   <li>tools, response_format, logprobs and n=2 reach llama-server and come back;</li>
 *   <li>clients that give up on non-streaming requests cancel them upstream: llama-server cancels the tasks and
 *       its slots go idle, and a following request is answered;</li>
 *   <li>a stream cut by terminating its model, or by the death of llama-server, ends with an error event and
 *       {@code [DONE]}, never with a finish reason.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
final class LlamaServerPassThroughTest {
    private static final List<Map<String, String>> STORY = List.of(Map.of("role", "user", "content",
            "Tell me a very long story about a lighthouse keeper."));

    @TempDir
    static Path home;
    private JinferenceServer server;
    private LlamaServerTestEngine engine;
    private Http http;
    private Path gguf;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Path binary = LlamaServerBinary.require();
        gguf = SmolLm2ChatTest.smolLm2();
        server = TestServers.start(home);
        engine = new LlamaServerTestEngine(binary);
        registerEngine();
        http = new Http(server.port());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.closeTaps();
        }
    }

    @Test
    void aNonStreamingRequestGoesUpstreamAsItIsAndAStreamsBytesArriveUnchanged() throws Exception {
        String uid = launch();
        String plain = Http.MAPPER.writeValueAsString(Map.of("model", uid, "messages", STORY, "max_tokens", 8,
                "temperature", 0));

        Http.Answer answer = http.postRaw("/v1/chat/completions", plain);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.json().path("model").asText()).isEqualTo(uid);
        assertThat(answer.json().path("choices").get(0).path("message").path("content").asText()).isNotEmpty();
        LoopbackTap.Connection upstream = connectionCarrying(uid, plain);
        assertThat(upstream.request()).as("the client's body, byte for byte").endsWith("\r\n\r\n" + plain);
        assertThat(upstream.responses()).extracting(LoopbackTap.Message::contentType)
                .as("llama-server answered in one JSON document").allMatch(type -> type.startsWith("application/json"));

        String streaming = Http.MAPPER.writeValueAsString(Map.of("model", uid, "messages", STORY, "max_tokens", 16,
                "temperature", 0, "stream", true));
        HttpResponse<byte[]> streamed = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(streaming))
                .build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(streamed.statusCode()).isEqualTo(200);
        assertThat(streamed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        LoopbackTap.Connection streamUpstream = connectionCarrying(uid, streaming);
        byte[] sent = streamUpstream.responses().stream()
                .filter(message -> message.contentType().startsWith("text/event-stream")).reduce((a, b) -> b)
                .orElseThrow().body();
        assertThat(new String(streamed.body(), StandardCharsets.UTF_8))
                .as("the events llama-server wrote, byte for byte").isEqualTo(new String(sent, StandardCharsets.UTF_8))
                .endsWith("data: [DONE]\n\n");
    }

    /**
     * Upstream connections are kept, as a reverse proxy keeps them: plain requests one after another travel on one
     * connection to llama-server. A stream asks for a connection of its own ({@code Connection: close}), since
     * llama-server closes its connection after each stream although it announces keep-alive; a plain request after
     * a stream is answered.
     */
    @Test
    void plainRequestsShareOneUpstreamConnectionAndStreamsAskForTheirOwn() throws Exception {
        String uid = launch();
        List<LoopbackTap.Connection> plainConnections = new ArrayList<>();
        for (String word : List.of("one", "two", "three")) {
            String plain = Http.MAPPER.writeValueAsString(Map.of("model", uid, "max_tokens", 2,
                    "messages", List.of(Map.of("role", "user", "content", "Say " + word))));
            Http.Answer answer = http.postRaw("/v1/chat/completions", plain);
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            plainConnections.add(connectionCarrying(uid, plain));
        }
        assertThat(plainConnections).as("one kept connection carried all three").containsOnly(plainConnections.get(0));

        String streaming = Http.MAPPER.writeValueAsString(Map.of("model", uid, "max_tokens", 2, "stream", true,
                "messages", List.of(Map.of("role", "user", "content", "Say four"))));
        HttpResponse<String> streamed = client.send(HttpRequest.newBuilder(URI.create(base() + "/v1/chat/completions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(streaming))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
        assertThat(streamed.body()).endsWith("data: [DONE]\n\n");
        String streamHead = connectionCarrying(uid, streaming).request();
        streamHead = streamHead.substring(streamHead.lastIndexOf("POST /v1/chat/completions"));
        assertThat(streamHead.toLowerCase(java.util.Locale.ROOT)).contains("\r\nconnection: close\r\n");

        String after = Http.MAPPER.writeValueAsString(Map.of("model", uid, "max_tokens", 2,
                "messages", List.of(Map.of("role", "user", "content", "Say five"))));
        Http.Answer answer = http.postRaw("/v1/chat/completions", after);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    }

    /**
     * A client that keeps its connection, as SDK connection pools do, sends streams and plain requests in turn on it:
     * every one is answered whole and the connection stays open. (A stream whose response was completed before its
     * handler returned once lost the first byte of the connection's next request: "Not found: OST /v1/chat/...".)
     */
    @Test
    void aKeptClientConnectionCarriesStreamsAndPlainRequestsInTurn() throws Exception {
        String uid = launch();
        try (KeptConnection connection = new KeptConnection(server.port())) {
            for (int i = 0; i < 100; i++) {
                boolean stream = i % 2 == 0;
                String request = Http.MAPPER.writeValueAsString(Map.of("model", uid, "max_tokens", 2,
                        "stream", stream, "messages", List.of(Map.of("role", "user", "content", "Say " + i))));

                KeptConnection.Answer answer = connection.post("/v1/chat/completions", request);

                String what = "request " + i + (stream ? " (stream)" : " (plain)");
                assertThat(answer.status()).as("%s: %s", what, answer.body()).isEqualTo(200);
                assertThat(answer.body()).as(what).contains(stream ? "data: [DONE]" : "\"message\"");
                assertThat(answer.closes()).as("%s: the server keeps the connection", what).isFalse();
            }
        }
    }

    /**
     * Each request is checked to arrive at llama-server byte for byte ({@link #chat}). SmolLM2's chat template knows
     * no tools, so llama-server answers a tools request with text; a malformed tool is refused by Jinference before it
     * is forwarded, with a 400 naming the parameter.
     */
    @Test
    void toolsResponseFormatLogprobsAndSeveralChoicesReachLlamaServerAndComeBack() throws Exception {
        String uid = launch();
        Map<String, Object> weather = Map.of("type", "function", "function", Map.of("name", "get_weather",
                "description", "The weather in a city", "parameters", Map.of("type", "object", "properties",
                        Map.of("city", Map.of("type", "string")), "required", List.of("city"))));
        List<Map<String, String>> question = List.of(Map.of("role", "user", "content", "Weather in Paris?"));
        JsonNode tools = chat(uid, Map.of("tools", List.of(weather), "max_tokens", 4, "messages", question));
        assertThat(tools.path("choices").get(0).path("message").path("role").asText()).isEqualTo("assistant");
        Http.Answer malformed = http.post("/v1/chat/completions", Map.of("model", uid, "max_tokens", 4,
                "messages", question, "tools", List.of(Map.of("type", "function"))));
        assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
        assertThat(malformed.json().at("/error/param").asText()).isEqualTo("tools");
        assertThat(malformed.detail()).contains("function name");

        // An enum keeps the constrained answer short enough to end well inside max_tokens.
        Map<String, Object> schema = Map.of("type", "object", "properties", Map.of("answer",
                Map.of("type", "string", "enum", List.of("sunny", "rainy"))), "required", List.of("answer"));
        JsonNode structured = chat(uid, Map.of("max_tokens", 96, "temperature", 0, "messages", question,
                "response_format", Map.of("type", "json_schema", "json_schema", Map.of("name", "reply",
                        "schema", schema))));
        JsonNode content = Http.MAPPER.readTree(structured.path("choices").get(0).path("message").path("content")
                .asText());
        assertThat(content.path("answer").asText()).as(structured.toString()).isIn("sunny", "rainy");

        JsonNode two = chat(uid, Map.of("max_tokens", 2, "messages", question, "n", 2, "logprobs", true,
                "top_logprobs", 2));
        assertThat(two.path("choices").size()).as(two.toString()).isEqualTo(2);
        JsonNode tokens = two.path("choices").get(1).path("logprobs").path("content");
        assertThat(tokens.size()).as(two.toString()).isPositive();
        assertThat(tokens.get(0).path("top_logprobs").size()).isEqualTo(2);
    }

    @Test
    void abandonedNonStreamingRequestsAreCancelledUpstreamAndDoNotHoldUpTheNext() throws Exception {
        String uid = launch();
        String abandoned = Http.MAPPER.writeValueAsString(Map.of("model", uid, "messages", STORY,
                "max_tokens", 600, "ignore_eos", true));
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Socket socket = new Socket("127.0.0.1", server.port());
            byte[] body = abandoned.getBytes(StandardCharsets.UTF_8);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            clients.add(socket);
        }
        assertThat(eventually(Duration.ofSeconds(60), () -> processingSlots(uid) == 4))
                .as("llama-server generates the four requests").isTrue();
        Thread.sleep(500);
        for (Socket socket : clients) {
            socket.close();
        }

        JsonNode next = chat(uid, Map.of("max_tokens", 8, "ignore_eos", true, "messages", STORY));

        assertThat(next.path("usage").path("completion_tokens").asInt()).isEqualTo(8);
        assertThat(eventually(Duration.ofSeconds(60), () -> processingSlots(uid) == 0))
                .as("no slot of llama-server still generates").isTrue();
        Path log = logFile(uid);
        assertThat(eventually(Duration.ofSeconds(30), () -> cancelledTasks(log) >= 4))
                .as("llama-server's log says it cancelled the four tasks: %s", log).isTrue();
        List<LoopbackTap.Connection> upstream = engine.tap(uid).connections().stream()
                .filter(connection -> connection.request().contains("\"max_tokens\":600")).toList();
        assertThat(upstream).hasSize(4).allSatisfy(connection -> {
            assertThat(connection.closedFirstBy()).as("Jinference closed the upstream request").isEqualTo("client");
            assertThat(connection.responses()).as("before llama-server answered").isEmpty();
        });
    }

    @Test
    void aStreamCutByTerminatingItsModelEndsWithAnErrorEventNotAFinishReason() throws Exception {
        String uid = launch();
        try (Stream<String> lines = http.streamLines("/v1/chat/completions", Map.of("model", uid, "stream", true,
                "max_tokens", 600, "ignore_eos", true, "messages", STORY))) {
            Iterator<String> events = lines.iterator();
            awaitFirstToken(events);

            assertThat(http.delete("/v1/models/" + uid).status()).isEqualTo(200);

            List<JsonNode> rest = remainingEvents(events);
            assertThat(rest).noneMatch(LlamaServerPassThroughTest::hasFinishReason);
            JsonNode error = rest.get(rest.size() - 1).path("error");
            assertThat(error.path("type").asText()).as(rest.toString()).isEqualTo("model_terminated");
            assertThat(error.path("code").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText()).contains(uid).contains("terminated while generating");
        }
    }

    @Test
    void aStreamCutByTheDeathOfLlamaServerEndsWithAnErrorEventNotAFinishReason() throws Exception {
        String uid = launch();
        long pid = http.get("/v1/models/" + uid).json().path("engine_details").path("process_pid").asLong();
        try (Stream<String> lines = http.streamLines("/v1/chat/completions", Map.of("model", uid, "stream", true,
                "max_tokens", 600, "ignore_eos", true, "messages", STORY))) {
            Iterator<String> events = lines.iterator();
            awaitFirstToken(events);

            ProcessHandle.of(pid).orElseThrow().destroyForcibly();

            List<JsonNode> rest = remainingEvents(events);
            assertThat(rest).noneMatch(LlamaServerPassThroughTest::hasFinishReason);
            JsonNode error = rest.get(rest.size() - 1).path("error");
            assertThat(error.path("type").asText()).as(rest.toString()).isEqualTo("unavailable");
            assertThat(error.path("code").asInt()).isEqualTo(503);
            assertThat(error.path("message").asText()).contains("engine server");
        }
    }

    private void registerEngine() throws IOException, org.osgi.framework.BundleException {
        Path jar = home.resolve("llama-server-test-engine.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "io.jinference.test.llamaserver");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Provide-Capability", "io.jinference.engine;engine=" + LlamaServerTestEngine.NAME
                + ";version:Version=\"1.0.0\";formats:List<String>=\"ggufv2\";"
                + "quantizations.ggufv2:List<String>=\"q4_1\";os:List<String>=\"linux,macos\";"
                + "arch:List<String>=\"x86_64,aarch64\";devices:List<String>=\"cpu\";"
                + "abilities:List<String>=\"generate,chat,tools,structured_output,logprobs\"");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.flush();
        }
        Bundle bundle = server.bundleContext().installBundle(jar.toUri().toString());
        bundle.start();
        bundle.getBundleContext().registerService(InferenceEngine.class, engine,
                new Hashtable<>(Map.of(EngineNamespace.SERVICE_ENGINE, LlamaServerTestEngine.NAME)));
    }

    private String launch() {
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "ggufv2", "quantization", "q4_1", "model_engine", LlamaServerTestEngine.NAME,
                "model_path", gguf.toString()));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        return launched.json().path("model_uid").asText();
    }

    private JsonNode chat(String uid, Map<String, Object> fields) throws IOException {
        Map<String, Object> body = new java.util.LinkedHashMap<>(fields);
        body.put("model", uid);
        String text = Http.MAPPER.writeValueAsString(body);
        Http.Answer answer = http.postRaw("/v1/chat/completions", text);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(connectionCarrying(uid, text).request()).as("forwarded as it is").endsWith("\r\n\r\n" + text);
        return answer.json();
    }

    private LoopbackTap.Connection connectionCarrying(String uid, String body) {
        return engine.tap(uid).connections().stream().filter(connection -> connection.request().contains(body))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("llama-server never received " + body));
    }

    private int processingSlots(String uid) {
        try {
            HttpResponse<String> slots = client.send(HttpRequest.newBuilder(engine.direct(uid).resolve("/slots"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            int processing = 0;
            for (JsonNode slot : Http.MAPPER.readTree(slots.body())) {
                processing += slot.path("is_processing").asBoolean() ? 1 : 0;
            }
            return processing;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static long cancelledTasks(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("cancel task, id_task =")).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private Path logFile(String uid) {
        return Path.of(http.get("/v1/models/" + uid).json().path("engine_details").path("log_file").asText());
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private static void awaitFirstToken(Iterator<String> events) {
        while (events.hasNext()) {
            String line = events.next();
            if (line.startsWith("data: {") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                return;
            }
        }
        throw new AssertionError("The stream ended before its first token");
    }

    /** The JSON events up to {@code [DONE]}, which must come. */
    private static List<JsonNode> remainingEvents(Iterator<String> events) throws IOException {
        List<JsonNode> rest = new ArrayList<>();
        while (events.hasNext()) {
            String line = events.next();
            if (line.equals("data: [DONE]")) {
                assertThat(rest).as("events before [DONE]").isNotEmpty();
                return rest;
            }
            if (line.startsWith("data: ")) {
                rest.add(Http.MAPPER.readTree(line.substring("data: ".length())));
            }
        }
        throw new AssertionError("The stream ended without data: [DONE] after " + rest);
    }

    private static boolean hasFinishReason(JsonNode event) {
        JsonNode choices = event.path("choices");
        return choices.isArray() && !choices.isEmpty() && choices.get(0).hasNonNull("finish_reason");
    }

    private static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !condition.getAsBoolean()) {
            TimeUnit.MILLISECONDS.sleep(100);
        }
        return condition.getAsBoolean();
    }
}
