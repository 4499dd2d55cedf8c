package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import io.jinference.hub.DownloadProgress;
import io.jinference.hub.HfCache;
import io.jinference.hub.HubRequest;
import io.jinference.hub.HubSettings;
import io.jinference.hub.ModelHub;
import io.jinference.hub.SmolLm2Gguf;
import io.jinference.hub.standin.HubStandIn;
import io.jinference.hub.standin.StandInRepo;
import io.jinference.launcher.cli.LaunchCommand;
import io.jinference.template.ChatTemplateRenderer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launching without a {@code model_path}: a real server downloads the model from the Hugging Face Hub STAND-IN on
 * loopback (the real hub cannot be reached here) into a Hugging Face cache, verifies it and serves it.
 */
class HubLaunchTest {
    private static final String FAMILY = "smollm2-instruct";

    @TempDir
    Path temp;
    private HubStandIn standIn;
    private StandInRepo smol;
    private Path cacheRoot;

    @BeforeEach
    void start() throws IOException {
        standIn = HubStandIn.start();
        smol = standIn.add(new StandInRepo(SmolLm2Gguf.REPO, Map.of(SmolLm2Gguf.FILE, SmolLm2Gguf.path())));
        cacheRoot = temp.resolve("hf-cache");
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private HubSettings settings(boolean offline) {
        return HubSettings.fromEnvironment(Map.of(), temp).withHuggingFace(standIn.endpoint(), cacheRoot)
                .withOffline(offline);
    }

    private JinferenceServer server(boolean offline) {
        Path home = temp.resolve("home");
        Distribution distribution = new Distribution(Path.of(System.getProperty("jinference.dist")));
        return JinferenceServer.start(home, distribution.bundleFolders(home), "127.0.0.1", 0, null,
                new ChatTemplateRenderer()::render, settings(offline));
    }

    private static Map<String, Object> smolLaunch(String uid) {
        return new HashMap<>(Map.of("model_name", FAMILY, "model_format", "ggufv2", "quantization", "q4_1",
                "model_uid", uid));
    }

    private String sha() {
        return smol.files().get(SmolLm2Gguf.FILE).sha256();
    }

    private Path incomplete() {
        return new HfCache(cacheRoot).incomplete(SmolLm2Gguf.REPO, sha());
    }

    @Test
    void launchWithoutAPathDownloadsVerifiesLoadsAndAnswers() {
        try (JinferenceServer server = server(false)) {
            Http http = new Http(server.port());
            Http.Answer launched = http.post("/v1/models", smolLaunch("smol"));
            assertThat(launched.status()).as(launched.body()).isEqualTo(200);

            JsonNode described = http.get("/v1/models/smol").json();
            assertThat(described.path("model_hub").asText()).isEqualTo("huggingface");
            assertThat(described.path("model_id").asText()).isEqualTo(SmolLm2Gguf.REPO);
            assertThat(described.path("model_revision").asText()).isEqualTo(smol.commit());
            JsonNode progress = http.get("/v1/models/smol/progress").json();
            assertThat(progress.path("progress").asDouble()).isEqualTo(1.0);
            assertThat(progress.path("download").path("downloaded_bytes").asLong())
                    .isEqualTo(smol.files().get(SmolLm2Gguf.FILE).size());

            JsonNode answer = http.post("/v1/chat/completions", Map.of("model", "smol", "temperature", 0,
                    "max_tokens", 48, "messages",
                    List.of(Map.of("role", "user", "content", "What is the capital of France? Answer in one word.")))).json();
            assertThat(answer.path("choices").get(0).path("message").path("content").asText()).contains("Paris");

            JsonNode cached = http.get("/v1/cache/models").json().path("list");
            assertThat(cached).hasSize(1);
            assertThat(cached.get(0).path("model_version").asText())
                    .isEqualTo("smollm2-instruct--0_135B--ggufv2--Q4_1");
            assertThat(cached.get(0).path("actual_size").asLong()).isEqualTo(smol.files().get(SmolLm2Gguf.FILE).size());
            Http.Answer inUse = http.delete("/v1/cache/models?model_version=smollm2-instruct--0_135B--ggufv2--Q4_1");
            assertThat(inUse.status()).as(inUse.body()).isEqualTo(409);

            assertThat(http.delete("/v1/models/smol").status()).isEqualTo(200);
            Http.Answer removed = http.delete("/v1/cache/models?model_version=smollm2-instruct--0_135B--ggufv2--Q4_1");
            assertThat(removed.status()).as(removed.body()).isEqualTo(200);
            assertThat(new HfCache(cacheRoot).repoDir(SmolLm2Gguf.REPO)).doesNotExist();
            assertThat(http.delete("/v1/cache/models?model_version=nothing").status()).isEqualTo(404);
            assertThat(http.delete("/v1/cache/models").status()).isEqualTo(400);

            // jinf launch without --model-path waits with a progress bar until the model serves, then prints its UID
            String printed = Cli.run(new LaunchCommand(), FAMILY, "--format", "ggufv2", "--quantization", "q4_1",
                    "--model-uid", "cli", "--endpoint", "http://127.0.0.1:" + server.port());
            assertThat(printed.strip()).isEqualTo("cli");
            assertThat(http.get("/v1/models/cli").json().path("status").asText()).isEqualTo("ready");
        }
    }

    @Test
    void aCutConnectionFailsTheLaunchAndTheNextLaunchResumesFromTheCut() throws Exception {
        long size = smol.files().get(SmolLm2Gguf.FILE).size();
        standIn.cutAfter(sha(), size / 2);
        try (JinferenceServer server = server(false)) {
            Http http = new Http(server.port());
            Http.Answer first = http.post("/v1/models?wait_ready=false", smolLaunch("cut"));
            assertThat(first.status()).as(first.body()).isEqualTo(200);
            JsonNode failed = awaitStatus(http, "cut", "failed");
            assertThat(failed.path("failure").asText()).contains("kept for a resume");
            long kept = Files.size(incomplete());
            assertThat(kept).isPositive().isLessThan(size);

            standIn.heal();
            Http.Answer second = http.post("/v1/models", smolLaunch("cut"));
            assertThat(second.status()).as(second.body()).isEqualTo(200);
            JsonNode progress = http.get("/v1/models/cut/progress").json();
            assertThat(progress.path("download").path("resumed_at").path(SmolLm2Gguf.FILE).asLong()).isEqualTo(kept);
            assertThat(standIn.rangeLog()).contains(sha() + "@" + kept);
            assertThat(incomplete()).doesNotExist();
        }
    }

    @Test
    void terminatingALaunchCancelsItsDownloadAndKeepsTheParts() throws Exception {
        standIn.throttle(4L * 1024 * 1024);
        try (JinferenceServer server = server(false)) {
            Http http = new Http(server.port());
            assertThat(http.post("/v1/models?wait_ready=false", smolLaunch("slow")).status()).isEqualTo(200);
            while (!Files.exists(incomplete()) || Files.size(incomplete()) == 0) {
                Thread.sleep(100);
            }
            assertThat(http.post("/v1/models/slow/cancel", Map.of()).status()).isEqualTo(200);
            assertThat(http.get("/v1/models/slow").status()).isEqualTo(404);
            long served = awaitQuiet();
            assertThat(served).isLessThan(smol.files().get(SmolLm2Gguf.FILE).size());
            assertThat(Files.size(incomplete())).isPositive();
            assertThat(new HfCache(cacheRoot).snapshotDir(SmolLm2Gguf.REPO, smol.commit())).doesNotExist();
        }
    }

    /** Waits until the stand-in serves no more bytes; returns how many it served. */
    private long awaitQuiet() throws InterruptedException {
        long before;
        long after = standIn.servedBytes(sha());
        do {
            before = after;
            Thread.sleep(1000);
            after = standIn.servedBytes(sha());
        } while (after != before);
        return after;
    }

    @Test
    void aCorruptedByteFailsTheLaunchClearlyAndMakesNoSnapshot() {
        standIn.corrupt(sha(), 1_000_000);
        try (JinferenceServer server = server(false)) {
            Http http = new Http(server.port());
            Http.Answer answer = http.post("/v1/models", smolLaunch("bad"));
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.detail()).contains("sha256").contains("nothing was added to the snapshot");
            assertThat(new HfCache(cacheRoot).snapshotDir(SmolLm2Gguf.REPO, smol.commit())).doesNotExist();
            assertThat(http.get("/v1/models/bad").status()).isEqualTo(404);
        }
    }

    @Test
    void aRepositoryOrFileTheHubLacksIsAClientError() {
        try (JinferenceServer server = server(false)) {
            Http http = new Http(server.port());
            Http.Answer noFile = http.post("/v1/models?wait_ready=false", Map.of("model_name", FAMILY,
                    "model_format", "ggufv2", "quantization", "Q8_0"));
            assertThat(noFile.status()).isEqualTo(400);
            assertThat(noFile.detail()).contains("SmolLM2-135M-Instruct.Q8_0.gguf").contains(SmolLm2Gguf.FILE);

            Http.Answer noRepo = http.post("/v1/models", Map.of("model_name", FAMILY, "model_format", "pytorch"));
            assertThat(noRepo.status()).isEqualTo(400);
            assertThat(noRepo.detail()).contains("HuggingFaceTB/SmolLM2-135M-Instruct").contains("not found");
            assertThat(standIn.servedBytesTotal()).isZero();
        }
    }

    @Test
    void offlineServesFromAWarmCacheAndSaysWhyWhenItIsCold() {
        try (JinferenceServer server = server(true)) {
            Http http = new Http(server.port());
            Http.Answer cold = http.post("/v1/models", smolLaunch("cold"));
            assertThat(cold.status()).isEqualTo(400);
            assertThat(cold.detail()).contains("HF_HUB_OFFLINE").contains(cacheRoot.toString());

            ModelSpec spec = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of("huggingface",
                    new ModelSource(SmolLm2Gguf.REPO, "SmolLM2-135M-Instruct.{quantization}.gguf", null)), null);
            new ModelHub(settings(false)).download(HubRequest.of(spec, "Q4_1", "huggingface"),
                    new DownloadProgress(SmolLm2Gguf.REPO));
            long apiCalls = standIn.apiCalls();
            long served = standIn.servedBytesTotal();

            Http.Answer warm = http.post("/v1/models", smolLaunch("warm"));
            assertThat(warm.status()).as(warm.body()).isEqualTo(200);
            assertThat(http.get("/v1/models/warm").json().path("model_revision").asText()).isEqualTo(smol.commit());
            assertThat(standIn.apiCalls()).isEqualTo(apiCalls);
            assertThat(standIn.servedBytesTotal()).isEqualTo(served);
        }
    }

    private static JsonNode awaitStatus(Http http, String uid, String status) throws InterruptedException {
        while (true) {
            JsonNode progress = http.get("/v1/models/" + uid + "/progress").json();
            if (progress.path("status").asText().equals(status)) {
                return progress;
            }
            Thread.sleep(200);
        }
    }
}
