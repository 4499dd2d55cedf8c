package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.testing.TinyGguf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPUs through the REST API, on a machine without one. Two things stand in for the two-H200 host, each named so:
 * a stand-in {@code nvidia-smi} script printing what the real one prints there (the free memory from a file the test
 * changes, as launches would), and a {@code runtime.json} naming backend cuda beside the real llama-server that CI
 * builds for the CPU (so the probe reports a CUDA build; the models really run and answer, on the CPU). Everything
 * else is real: Felix with the distribution's bundles, the selection, the placement, llama-server processes.
 */
final class GpuPlacementRestTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    static Path home;
    static Path answer;
    static JinferenceServer server;
    static Http http;

    @BeforeAll
    static void start() throws IOException {
        Path tools = Files.createDirectories(home.resolve("stand-ins"));
        answer = tools.resolve("nvidia-smi-answer");
        freeMemory(143180, 143180);
        Path nvidiaSmi = tools.resolve("nvidia-smi");
        Files.writeString(nvidiaSmi, "#!/bin/sh\n# stands in for nvidia-smi on a host with two NVIDIA H200s\n"
                + "cat '" + answer + "'\n");
        Files.setPosixFilePermissions(nvidiaSmi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cudaBuild = Files.createDirectories(home.resolve("cuda-build-stand-in"));
        Files.createSymbolicLink(cudaBuild.resolve("llama-server"), LlamaServerBinary.require());
        Files.writeString(cudaBuild.resolve("runtime.json"), "{\"build\": 11434, \"backend\": \"cuda\","
                + " \"architectures\": [\"llama\"], \"cmake_flags\": [\"-DGGML_CUDA=ON\","
                + " \"-DCMAKE_CUDA_ARCHITECTURES=90\"], \"source\": \"stand-in for a CUDA build\"}");
        System.setProperty("jinference.nvidia-smi", nvidiaSmi.toString());
        System.setProperty("jinference.llamacpp.server", cudaBuild.resolve("llama-server").toString());
        server = TestServers.start(home);
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        System.clearProperty("jinference.nvidia-smi");
        System.clearProperty("jinference.llamacpp.server");
    }

    /** What the stand-in nvidia-smi answers: two H200s with this much memory free (MiB). */
    private static void freeMemory(long gpu0, long gpu1) throws IOException {
        Files.writeString(answer, "0, NVIDIA H200, 143771, " + gpu0 + ", 9.0\n1, NVIDIA H200, 143771, " + gpu1
                + ", 9.0\n");
    }

    @Test
    void modelsWithNoEngineNamedLandOnTheGpuWithRoomAndTheApiShowsEachGpu() throws IOException {
        JsonNode explain = http.get("/v1/engines/smollm2-instruct/explain?model_format=ggufv2").json();
        assertThat(explain.path("choice").path("backend").asText()).isEqualTo("server");
        assertThat(explain.path("choice").path("why").asText()).endsWith("it runs on the GPU: its runtime drives cuda"
                + " and this host has 2 CUDA devices (NVIDIA H200, NVIDIA H200)");
        assertThat(http.get("/v1/cluster/devices").json().asInt()).as("Xinference's shape: the count").isEqualTo(2);

        freeMemory(100000, 143180);
        String first = launch(body("gpu-first"));
        JsonNode firstDescription = http.get("/v1/models/" + first).json();
        assertThat(firstDescription.path("accelerators")).extracting(JsonNode::asText).containsExactly("1");
        assertThat(firstDescription.path("engine_details").path("environment").path("CUDA_VISIBLE_DEVICES").asText())
                .isEqualTo("1");
        assertThat(firstDescription.path("engine_details").path("command").toString())
                .as("llama.cpp fits the layers itself").doesNotContain("--n-gpu-layers");
        assertThat(chat(first).status()).isEqualTo(200);

        // as if the first model had taken 60000 MiB of GPU 1: the next one goes to GPU 0
        freeMemory(100000, 83180);
        String second = launch(body("gpu-second"));
        assertThat(http.get("/v1/models/" + second).json().path("accelerators")).extracting(JsonNode::asText)
                .containsExactly("0");
        assertThat(chat(second).status()).isEqualTo(200);

        JsonNode devices = http.get("/v1/cluster/devices?detailed=true").json();
        assertThat(devices).hasSize(2);
        assertThat(devices.get(0).path("name").asText()).isEqualTo("NVIDIA H200");
        assertThat(devices.get(0).path("memory_total").asLong()).isEqualTo(143771 * MIB);
        assertThat(devices.get(1).path("memory_free").asLong()).isEqualTo(83180 * MIB);
        assertThat(devices.get(0).path("models")).extracting(JsonNode::asText).containsExactly("gpu-second");
        assertThat(devices.get(1).path("models")).extracting(JsonNode::asText).containsExactly("gpu-first");
        JsonNode status = http.get("/status").json().path("workers").elements().next().path("status");
        assertThat(status.path("gpu-1").path("name").asText()).isEqualTo("NVIDIA H200");
        assertThat(status.path("gpu-1").path("mem_used").asLong()).isEqualTo((143771 - 83180) * MIB);
        assertThat(status.path("gpu-1").path("models")).extracting(JsonNode::asText).containsExactly("gpu-first");

        assertThat(http.delete("/v1/models/" + first).status()).isEqualTo(200);
        assertThat(http.delete("/v1/models/" + second).status()).isEqualTo(200);
    }

    @Test
    void gpuIdxNGpuAndCpuPlacementReachLlamaServer() {
        Map<String, Object> split = body("split");
        split.put("n_gpu", 2);
        launch(split);
        JsonNode details = http.get("/v1/models/split").json().path("engine_details");
        assertThat(details.path("environment").path("CUDA_VISIBLE_DEVICES").asText()).isEqualTo("0,1");
        assertThat(String.join(" ", strings(details.path("command")))).contains("--tensor-split 1,1");
        assertThat(chat("split").status()).isEqualTo(200);
        assertThat(http.delete("/v1/models/split").status()).isEqualTo(200);

        Map<String, Object> pinned = body("pinned");
        pinned.put("gpu_idx", List.of(0));
        launch(pinned);
        assertThat(http.get("/v1/models/pinned").json().path("gpu_idx")).extracting(JsonNode::asInt)
                .containsExactly(0);
        assertThat(http.delete("/v1/models/pinned").status()).isEqualTo(200);

        Map<String, Object> cpu = body("on-cpu");
        cpu.put("n_gpu", null);
        launch(cpu);
        JsonNode onCpu = http.get("/v1/models/on-cpu").json();
        assertThat(onCpu.path("accelerators")).isEmpty();
        assertThat(strings(onCpu.path("engine_details").path("command"))).containsSequence("--device", "none");
        assertThat(chat("on-cpu").status()).isEqualTo(200);
        assertThat(http.delete("/v1/models/on-cpu").status()).isEqualTo(200);
    }

    @Test
    void placementsTheHostCannotMeetAreRequestErrors() {
        Map<String, Object> missing = body("missing-gpu");
        missing.put("gpu_idx", 5);
        Http.Answer refused = http.post("/v1/models", missing);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.detail()).isEqualTo("gpu_idx names GPU [5], which this host does not have; its GPUs: [0, 1]");

        Map<String, Object> tooMany = body("too-many");
        tooMany.put("n_gpu", 3);
        assertThat(http.post("/v1/models", tooMany).detail())
                .isEqualTo("n_gpu=3 asks for more GPUs than this host has (2)");

        Map<String, Object> onJvm = body("jvm-on-gpu");
        onJvm.put("model_backend", "jvm");
        onJvm.put("gpu_idx", 0);
        Http.Answer cpuOnly = http.post("/v1/models", onJvm);
        assertThat(cpuOnly.status()).isEqualTo(400);
        assertThat(cpuOnly.detail()).startsWith("gpu_idx=[0] asks for GPUs, but llama.cpp 0.1.0 (jvm) runs on the"
                + " CPU only here");
        assertThat(http.get("/v1/models").json().path("data")).isEmpty();
    }

    private static Map<String, Object> body(String uid) {
        Path model = TinyGguf.builder().write(home.resolve(uid + ".gguf"));
        Map<String, Object> body = new HashMap<>();
        body.put("model_name", "smollm2-instruct");
        body.put("model_format", "ggufv2");
        body.put("model_path", model.toString());
        body.put("model_uid", uid);
        body.put("n_parallel", 1);
        return body;
    }

    private static String launch(Map<String, Object> body) {
        Http.Answer answer = http.post("/v1/models", body);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().path("model_uid").asText();
    }

    private static Http.Answer chat(String uid) {
        Map<String, Object> body = new HashMap<>();
        body.put("model", uid);
        body.put("messages", List.of(Map.of("role", "user", "content", "Hello")));
        body.put("max_tokens", 4);
        body.put("temperature", 0);
        return http.post("/v1/chat/completions", body);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
