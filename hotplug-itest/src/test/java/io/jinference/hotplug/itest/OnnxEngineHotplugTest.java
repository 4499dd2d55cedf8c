package io.jinference.hotplug.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.hotplug.FixtureBundles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The third-party ONNX engine arrives in a running server by a jar dropped into the bundle folder, serves
 * {@code /v1/embeddings} with real all-MiniLM-L6-v2 vectors, keeps serving while another engine jar is dropped,
 * replaced and deleted, and goes away cleanly (its model stopped) when its own jar is deleted.
 */
class OnnxEngineHotplugTest {

    private static final String FAMILY = "minilm-onnx";
    private static final int CLIENTS = 16;

    @TempDir
    Path home;

    @Test
    void dropServeAndDeleteTheOnnxEngineWhileServing() throws Exception {
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            Path model = MiniLmFiles.writeTo(home.resolve("models").resolve(FAMILY));
            assertThat(rest.post("/v1/model_registrations/LLM", Map.of("model", registration(model))).status())
                    .isEqualTo(200);
            assertThat(rest.get("/v1/engines/" + FAMILY).json().has("onnx")).isFalse();

            server.drop(TestServer.ONNX_ENGINE, "engine-onnx.jar");
            TestServer.await("the dropped engine is selectable",
                    () -> rest.get("/v1/engines/" + FAMILY).json().path("onnx").isArray());

            var launched = rest.post("/v1/models", Map.of("model_name", FAMILY, "model_format", "onnx",
                    "model_uid", "minilm", "model_path", model.toString()));
            assertThat(launched.status()).as(launched.json().toString()).isEqualTo(200);
            assertParaphrasesAreCloser(rest);
            assertThat(onnxBundle(rest).path("models").toString()).isEqualTo("[\"minilm\"]");

            assertNoFailuresWhileAnotherEngineComesAndGoes(server);

            server.deleteDrop("engine-onnx.jar");
            TestServer.await("the engine bundle is uninstalled", () -> onnxBundle(rest).isMissingNode());
            var afterwards = rest.post("/v1/embeddings", Map.of("model", "minilm", "input", "hello"));
            assertThat(afterwards.status()).isEqualTo(404);
            assertThat(afterwards.detail()).isNotBlank();
            assertThat(rest.get("/status").status()).isEqualTo(200);
        }
    }

    private static Map<String, Object> registration(Path model) {
        return Map.of("version", 2, "context_length", 256, "model_name", FAMILY, "model_lang", List.of("en"),
                "model_ability", List.of("embed"), "model_description", "all-MiniLM-L6-v2 sentence embeddings",
                "model_specs", List.of(Map.of("model_format", "onnx", "model_size_in_billions", "0_02",
                        "quantization", "none", "model_uri", model.toUri().toString())));
    }

    private static JsonNode onnxBundle(Rest rest) {
        for (JsonNode bundle : rest.get("/v1/engine-bundles").json().path("bundles")) {
            if (bundle.path("symbolic_name").asText().equals("io.jinference.examples.engine.onnx")) {
                return bundle;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static void assertParaphrasesAreCloser(Rest rest) {
        var answer = rest.post("/v1/embeddings", Map.of("model", "minilm", "input", List.of(
                "A man is playing a guitar.", "Someone is strumming a guitar.", "The stock market fell sharply today.")));
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode data = answer.json().path("data");
        double paraphrase = dot(data.get(0).path("embedding"), data.get(1).path("embedding"));
        double unrelated = dot(data.get(0).path("embedding"), data.get(2).path("embedding"));
        assertThat(paraphrase).isGreaterThan(unrelated + 0.3);
    }

    /** 16 clients embed in a loop while a fixture engine jar is dropped, replaced and deleted: none may fail. */
    private void assertNoFailuresWhileAnotherEngineComesAndGoes(TestServer server) throws Exception {
        FixtureBundles jars = new FixtureBundles(Files.createDirectories(home.resolve("fixtures")));
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger served = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<String>> results = new java.util.ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                int client = i;
                results.add(clients.submit(() -> {
                    while (running.get()) {
                        var answer = server.rest.post("/v1/embeddings", Map.of("model", "minilm",
                                "input", "client " + client + " request " + served.get()));
                        if (answer.status() != 200) {
                            return answer.status() + " " + answer.json();
                        }
                        served.incrementAndGet();
                    }
                    return "ok";
                }));
            }
            Rest rest = server.rest;
            server.drop(jars.engine("1.0.0"), "fixture.jar");
            TestServer.await("the fixture engine 1.0.0 is active", () -> hasFixture(rest, "1.0.0"));
            server.drop(jars.engine("2.0.0"), "fixture.jar");
            TestServer.await("the fixture engine 2.0.0 is active", () -> hasFixture(rest, "2.0.0"));
            server.deleteDrop("fixture.jar");
            TestServer.await("the fixture engine is gone", () -> !hasFixture(rest, "2.0.0"));
            running.set(false);
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("ok");
            }
            assertThat(served.get()).isGreaterThan(CLIENTS);
        } finally {
            running.set(false);
            clients.shutdownNow();
        }
    }

    private static boolean hasFixture(Rest rest, String version) {
        for (JsonNode bundle : rest.get("/v1/engine-bundles").json().path("bundles")) {
            if (bundle.path("symbolic_name").asText().equals("fixture.engine")
                    && bundle.path("version").asText().equals(version) && bundle.path("state").asText().equals("active")) {
                return true;
            }
        }
        return false;
    }

    private static double dot(JsonNode a, JsonNode b) {
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            sum += a.get(i).asDouble() * b.get(i).asDouble();
        }
        return sum;
    }
}
