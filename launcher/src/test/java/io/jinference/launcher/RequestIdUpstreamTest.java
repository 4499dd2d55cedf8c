package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;

/**
 * The request id reaches the engine server: a passed-through chat carries the client's {@code X-Request-Id} to the
 * real {@code llama-server} (named by {@code JINFERENCE_LLAMA_SERVER}), as the {@link LoopbackTap} between them sees
 * it, and a request without one carries the id the server generated and answered with.
 */
final class RequestIdUpstreamTest {
    @TempDir
    static Path home;
    static JinferenceServer server;
    static LlamaServerTestEngine engine;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path binary = LlamaServerBinary.require();
        server = TestServers.start(home);
        engine = new LlamaServerTestEngine(binary);
        registerEngine();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (engine != null) {
            engine.closeTaps();
        }
    }

    @Test
    void theRequestIdIsPassedToTheEngineServer() throws Exception {
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "ggufv2", "quantization", "q4_1", "model_engine", LlamaServerTestEngine.NAME,
                "model_path", SmolLm2ChatTest.smolLm2().toString()));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        String uid = launched.json().path("model_uid").asText();

        HttpResponse<String> given = chat(uid, "client-trace-7");
        assertThat(given.statusCode()).as(given.body()).isEqualTo(200);
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("client-trace-7");
        HttpResponse<String> generated = chat(uid, null);
        String id = generated.headers().firstValue("X-Request-Id").orElseThrow();

        List<String> upstream = engine.tap(uid).connections().stream().map(LoopbackTap.Connection::request)
                .filter(request -> request.startsWith("POST /v1/chat/completions")).toList();
        assertThat(upstream).anyMatch(request -> request.toLowerCase().contains("x-request-id: client-trace-7\r\n"))
                .anyMatch(request -> request.toLowerCase().contains("x-request-id: " + id.toLowerCase() + "\r\n"));
    }

    private static HttpResponse<String> chat(String uid, String requestId) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/v1/chat/completions")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.MAPPER.writeValueAsString(Map.of("model", uid,
                        "messages", List.of(Map.of("role", "user", "content", "Hi")), "max_tokens", 4))));
        if (requestId != null) {
            request.header("X-Request-Id", requestId);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The test engine as a bundle of its own, as LlamaServerPassThroughTest installs it. */
    private static void registerEngine() throws Exception {
        Path jar = home.resolve("llama-server-test-engine.jar");
        Files.write(jar, TestJars.bundle("io.jinference.test.llamaserver", Map.of("Provide-Capability",
                "io.jinference.engine;engine=" + LlamaServerTestEngine.NAME
                        + ";version:Version=\"1.0.0\";formats:List<String>=\"ggufv2\";"
                        + "quantizations.ggufv2:List<String>=\"q4_1\";os:List<String>=\"linux,macos\";"
                        + "arch:List<String>=\"x86_64,aarch64\";devices:List<String>=\"cpu\";"
                        + "abilities:List<String>=\"generate,chat\"")));
        Bundle bundle = server.bundleContext().installBundle(jar.toUri().toString());
        bundle.start();
        bundle.getBundleContext().registerService(InferenceEngine.class, engine,
                new Hashtable<>(Map.of(EngineNamespace.SERVICE_ENGINE, LlamaServerTestEngine.NAME)));
    }
}
