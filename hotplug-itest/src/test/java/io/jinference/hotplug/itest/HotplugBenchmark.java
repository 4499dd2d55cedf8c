package io.jinference.hotplug.itest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Prints how long hot-plugging takes on a real server with the ONNX engine and all-MiniLM-L6-v2: from a jar dropped
 * into the bundle folder to its engine being selectable, and from an adapter update (REST) to the model serving
 * again (update, automatic relaunch, first embedding). Run: see docs/benchmarks.md, "Hot-plug".
 */
public final class HotplugBenchmark {

    private static final String FAMILY = "minilm-onnx";
    private static final int ROUNDS = 5;

    private HotplugBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("jinference-bench-hotplug");
        try (TestServer server = new TestServer(home)) {
            Rest rest = server.rest;
            Path model = MiniLmFiles.writeTo(home.resolve("models").resolve(FAMILY));
            rest.post("/v1/model_registrations/LLM", Map.of("model", Map.of("version", 2, "context_length", 256,
                    "model_name", FAMILY, "model_lang", List.of("en"), "model_ability", List.of("embed"),
                    "model_specs", List.of(Map.of("model_format", "onnx", "model_size_in_billions", "0_02",
                            "quantization", "none", "model_uri", model.toUri().toString())))));

            List<Double> selectable = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                server.drop(TestServer.ONNX_ENGINE, "engine-onnx.jar");
                TestServer.await("selectable", () -> rest.get("/v1/engines/" + FAMILY).json().path("onnx").isArray());
                selectable.add(millisSince(start));
                server.deleteDrop("engine-onnx.jar");
                TestServer.await("gone", () -> !rest.get("/v1/engines/" + FAMILY).json().path("onnx").isArray());
            }

            var installed = rest.post("/v1/engine-bundles", Map.of("path", TestServer.ONNX_ENGINE.toString()));
            long id = installed.json().path("id").asLong();
            rest.post("/v1/models", Map.of("model_name", FAMILY, "model_format", "onnx", "model_uid", "minilm",
                    "model_path", model.toString()));
            byte[] jar = Files.readAllBytes(TestServer.ONNX_ENGINE);
            List<Double> update = new ArrayList<>();
            List<Double> serving = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                rest.upload("/v1/engine-bundles/" + id, "PUT", jar);
                update.add(millisSince(start));
                TestServer.await("minilm is relaunched",
                        () -> "ready".equals(rest.get("/v1/models/minilm").json().path("status").asText()));
                if (rest.post("/v1/embeddings", Map.of("model", "minilm", "input", "hi")).status() != 200) {
                    throw new IllegalStateException("The model did not serve again after update " + round);
                }
                serving.add(millisSince(start));
            }
            System.out.printf("jar dropped -> engine selectable (ms): %s%n", summary(selectable));
            System.out.printf("adapter update over REST, PUT answered (ms): %s%n", summary(update));
            System.out.printf("adapter update -> model relaunched and serving (ms): %s%n", summary(serving));
        }
        System.exit(0);
    }

    private static double millisSince(long start) {
        return (System.nanoTime() - start) / 1e6;
    }

    private static String summary(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return String.format("median %.0f, min %.0f, max %.0f over %d rounds; all %s", sorted.get(sorted.size() / 2),
                sorted.get(0), sorted.get(sorted.size() - 1), sorted.size(),
                values.stream().map(v -> String.format("%.0f", v)).toList());
    }
}
