package io.jinference.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import io.jinference.hub.standin.HubStandIn;
import io.jinference.hub.standin.StandInRepo;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Downloads of the real SmolLM2 GGUF from the Hugging Face Hub STAND-IN on loopback (the real hub cannot be reached
 * here) into a Hugging Face cache laid out as huggingface_hub lays it out.
 */
class HuggingFaceDownloadTest {
    private static final int CHUNK = 1024 * 1024;

    @TempDir
    Path temp;
    private HubStandIn standIn;
    private StandInRepo smol;
    private Path cacheRoot;

    @BeforeEach
    void start() throws IOException {
        standIn = HubStandIn.start();
        smol = standIn.add(new StandInRepo(SmolLm2Gguf.REPO, Map.of(SmolLm2Gguf.FILE, SmolLm2Gguf.path())));
        cacheRoot = temp.resolve("hf").resolve("hub");
    }

    @AfterEach
    void stop() {
        standIn.close();
    }

    private ModelHub hub(boolean offline) {
        HubSettings settings = HubSettings.fromEnvironment(Map.of(), temp)
                .withHuggingFace(standIn.endpoint(), cacheRoot)
                .withOffline(offline);
        return new ModelHub(settings, CHUNK, 4);
    }

    private static HubRequest gguf(String repo, String template, String quantization) {
        ModelSpec spec = new ModelSpec("ggufv2", "0_135", List.of(quantization),
                Map.of("huggingface", new ModelSource(repo, template, null)), null);
        return HubRequest.of(spec, quantization, HubSettings.HUGGINGFACE);
    }

    private static HubRequest smolGguf() {
        return gguf(SmolLm2Gguf.REPO, "SmolLM2-135M-Instruct.{quantization}.gguf", "Q4_1");
    }

    private String sha() {
        return smol.files().get(SmolLm2Gguf.FILE).sha256();
    }

    @Test
    void downloadsIntoTheHuggingFaceCacheLayout() throws IOException {
        DownloadProgress progress = new DownloadProgress(SmolLm2Gguf.REPO);
        DownloadedModel model = hub(false).download(smolGguf(), progress);

        Path repoDir = cacheRoot.resolve("models--QuantFactory--SmolLM2-135M-Instruct-GGUF");
        Path link = repoDir.resolve("snapshots").resolve(smol.commit()).resolve(SmolLm2Gguf.FILE);
        assertThat(model.path()).isEqualTo(link);
        assertThat(model.commit()).isEqualTo(smol.commit());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readSymbolicLink(link)).isEqualTo(Path.of("..", "..", "blobs", sha()));
        assertThat(Files.readString(repoDir.resolve("refs").resolve("main"))).isEqualTo(smol.commit());
        assertThat(Files.mismatch(link, SmolLm2Gguf.path())).isEqualTo(-1);
        assertThat(progress.fraction()).isEqualTo(1.0);
        assertThat(progress.doneBytes()).isEqualTo(Files.size(SmolLm2Gguf.path()));
        assertThat(standIn.rangeLog()).as("fetched in ranges").hasSizeGreaterThan(1);
        assertThat(standIn.resolveCalls()).as("the hub resolved the file once, its CDN served every range")
                .isEqualTo(1);

        long served = standIn.servedBytesTotal();
        DownloadedModel again = hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));
        assertThat(again.path()).isEqualTo(link);
        assertThat(standIn.servedBytesTotal()).as("a cached file is not fetched again").isEqualTo(served);
    }

    @Test
    void aCutConnectionIsResumedFromTheCut() throws IOException {
        long size = Files.size(SmolLm2Gguf.path());
        standIn.cutAfter(sha(), size / 3);
        assertThatThrownBy(() -> hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO)))
                .isInstanceOf(HubException.class).hasMessageContaining("kept for a resume");
        Path incomplete = new HfCache(cacheRoot).incomplete(SmolLm2Gguf.REPO, sha());
        long kept = Files.size(incomplete);
        assertThat(kept).isPositive().isLessThan(size);
        assertThat(new HfCache(cacheRoot).snapshotDir(SmolLm2Gguf.REPO, smol.commit())).doesNotExist();

        standIn.heal();
        long servedBefore = standIn.servedBytes(sha());
        DownloadProgress progress = new DownloadProgress(SmolLm2Gguf.REPO);
        DownloadedModel model = hub(false).download(smolGguf(), progress);

        assertThat(progress.resumedAt()).containsEntry(SmolLm2Gguf.FILE, kept);
        assertThat(standIn.rangeLog()).contains(sha() + "@" + kept);
        assertThat(standIn.servedBytes(sha()) - servedBefore).as("only the rest is fetched").isEqualTo(size - kept);
        assertThat(Files.mismatch(model.path(), SmolLm2Gguf.path())).isEqualTo(-1);
        assertThat(incomplete).doesNotExist();
    }

    @Test
    void anExpiredCdnLinkIsResolvedAgainAndTheDownloadGoesOn() throws IOException {
        standIn.expireCdnLinksEvery(3);
        DownloadedModel model = hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));

        int ranges = standIn.rangeLog().size();
        assertThat(ranges).as("enough ranges for links to expire").isGreaterThan(3);
        assertThat(standIn.resolveCalls()).as("the file resolved again after its link expired, not per range")
                .isGreaterThan(1).isLessThan(ranges);
        assertThat(Files.mismatch(model.path(), SmolLm2Gguf.path())).isEqualTo(-1L);
    }

    @Test
    void theTokenGoesToTheHubAndNeverToItsCdnAlsoWhenRangesAskTheCdnDirectly() throws IOException {
        standIn.cdnOnHost("localhost");
        HubSettings settings = HubSettings.fromEnvironment(Map.of("HF_TOKEN", "hf_stand_in"), temp)
                .withHuggingFace(standIn.endpoint(), cacheRoot);
        DownloadedModel model = new ModelHub(settings, CHUNK, 4).download(smolGguf(),
                new DownloadProgress(SmolLm2Gguf.REPO));

        assertThat(standIn.rangeLog()).as("fetched in ranges").hasSizeGreaterThan(1);
        assertThat(standIn.resolveCallsWithToken()).isEqualTo(standIn.resolveCalls()).isPositive();
        assertThat(standIn.cdnCallsWithToken()).isZero();
        assertThat(Files.mismatch(model.path(), SmolLm2Gguf.path())).isEqualTo(-1L);
    }

    @Test
    void aHubSlowerThanTheHashIsFetchedInParallelRanges() throws IOException {
        // 20 MB/s per connection: each range waits for the network almost all of its time
        standIn.throttle(20_000_000);
        DownloadedModel model = hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));

        assertThat(standIn.mostBodiesAtOnce()).isEqualTo(4);
        // Four connections bring four times the bytes here, so the parallel ranges are kept to the end of the file.
        // Ranges started together end together, and the next window's first range may then start alone: so not every
        // range, but most of them, came while others were being sent (after a failed trial only its window's would).
        List<Integer> atStart = standIn.bodiesAtStart();
        assertThat(atStart.stream().filter(bodies -> bodies > 1).count())
                .as("ranges that came with others in flight, of %s", atStart)
                .isGreaterThan(atStart.size() / 2);
        assertThat(Files.mismatch(model.path(), SmolLm2Gguf.path())).isEqualTo(-1L);
    }

    @Test
    void aLinkThatParallelRangesOnlyShareIsFetchedOneRangeAtATimeAfterTheTrial() throws IOException {
        // 20 MB/s over all connections together: a range waits for the network almost all of its time, as above,
        // but four ranges at once bring no more bytes than one.
        standIn.throttleLink(20_000_000);
        DownloadedModel model = hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));

        List<Integer> atStart = standIn.bodiesAtStart();
        assertThat(standIn.mostBodiesAtOnce()).as("parallel ranges were tried").isEqualTo(BlobDownloader.TRIAL_RANGES);
        assertThat(atStart.get(atStart.size() - 1)).as("the last range came alone, of %s", atStart).isEqualTo(1);
        assertThat(Files.mismatch(model.path(), SmolLm2Gguf.path())).isEqualTo(-1L);
    }

    @Test
    void aCorruptedByteFailsTheChecksumAndNothingIsServed() {
        standIn.corrupt(sha(), 12_345_678);
        assertThatThrownBy(() -> hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO)))
                .isInstanceOf(HubException.class)
                .hasMessageContaining("sha256")
                .hasMessageContaining("nothing was added to the snapshot");
        HfCache cache = new HfCache(cacheRoot);
        assertThat(cache.snapshotDir(SmolLm2Gguf.REPO, smol.commit())).doesNotExist();
        assertThat(cache.blob(SmolLm2Gguf.REPO, sha())).doesNotExist();
        assertThat(cache.incomplete(SmolLm2Gguf.REPO, sha())).doesNotExist();
    }

    @Test
    void unknownRepositoriesAndFilesAreRefusedBeforeAnyDownload() {
        assertThatThrownBy(() -> hub(false).prepare(gguf("nobody/nothing-GGUF", "x.{quantization}.gguf", "Q4_1")))
                .isInstanceOf(HubException.class).hasMessageContaining("nobody/nothing-GGUF")
                .hasMessageContaining("not found");
        assertThatThrownBy(() -> hub(false).prepare(gguf(SmolLm2Gguf.REPO,
                "SmolLM2-135M-Instruct.{quantization}.gguf", "Q8_0")))
                .isInstanceOf(HubException.class).hasMessageContaining("SmolLM2-135M-Instruct.Q8_0.gguf")
                .hasMessageContaining(SmolLm2Gguf.FILE);
        assertThat(standIn.servedBytesTotal()).isZero();
    }

    @Test
    void offlineUsesAWarmCacheAndExplainsAColdOne() {
        assertThatThrownBy(() -> hub(true).prepare(smolGguf()))
                .isInstanceOf(HubException.class).hasMessageContaining("HF_HUB_OFFLINE")
                .hasMessageContaining("models--QuantFactory--SmolLM2-135M-Instruct-GGUF/refs/main");
        DownloadedModel online = hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));
        long calls = standIn.apiCalls();
        long served = standIn.servedBytesTotal();

        DownloadedModel offline = hub(true).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO));
        assertThat(offline.path()).isEqualTo(online.path());
        assertThat(offline.fromCacheOnly()).isTrue();
        assertThat(standIn.apiCalls()).isEqualTo(calls);
        assertThat(standIn.servedBytesTotal()).isEqualTo(served);
    }

    @Test
    void aSplitGgufIsFetchedWhole() throws IOException {
        Path parts = temp.resolve("parts");
        Files.createDirectories(parts);
        long size = Files.size(SmolLm2Gguf.path());
        long partSize = size / 3 + 1;
        Map<String, Path> files = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(SmolLm2Gguf.path())) {
            for (int part = 1; part <= 3; part++) {
                String name = String.format("SmolLM2-135M-Instruct.Q4_1-%05d-of-00003.gguf", part);
                Path file = parts.resolve(name);
                try (OutputStream out = Files.newOutputStream(file)) {
                    out.write(in.readNBytes((int) partSize));
                }
                files.put(name, file);
            }
        }
        files.put("README.md", Files.writeString(parts.resolve("README.md"), "split SmolLM2\n"));
        StandInRepo split = standIn.add(new StandInRepo("test/SmolLM2-split-GGUF", files));

        DownloadedModel model = hub(false).download(gguf("test/SmolLM2-split-GGUF",
                "SmolLM2-135M-Instruct.{quantization}.gguf", "q4_1"), new DownloadProgress("split"));

        assertThat(model.files()).containsExactly("SmolLM2-135M-Instruct.Q4_1-00001-of-00003.gguf",
                "SmolLM2-135M-Instruct.Q4_1-00002-of-00003.gguf", "SmolLM2-135M-Instruct.Q4_1-00003-of-00003.gguf");
        assertThat(model.path().getFileName().toString()).isEqualTo("SmolLM2-135M-Instruct.Q4_1-00001-of-00003.gguf");
        Path snapshot = model.path().getParent();
        long total = 0;
        for (String name : model.files()) {
            assertThat(Files.mismatch(snapshot.resolve(name), files.get(name))).isEqualTo(-1);
            total += Files.size(snapshot.resolve(name));
        }
        assertThat(total).isEqualTo(size);
        assertThat(snapshot.resolve("README.md")).doesNotExist();
        assertThat(split.commit()).isEqualTo(model.commit());
    }

    @Test
    void aCheckpointBringsConfigTokenizerAndTheIndexedShardsOnly() throws IOException {
        Path repo = temp.resolve("checkpoint");
        Files.createDirectories(repo.resolve("onnx"));
        Files.writeString(repo.resolve("config.json"), "{\"architectures\": [\"LlamaForCausalLM\"]}");
        Files.writeString(repo.resolve("generation_config.json"), "{}");
        Files.writeString(repo.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(repo.resolve("tokenizer_config.json"), "{}");
        Files.writeString(repo.resolve("model.safetensors.index.json"), "{\"metadata\": {}, \"weight_map\": {"
                + "\"a\": \"model-00001-of-00002.safetensors\", \"b\": \"model-00002-of-00002.safetensors\","
                + "\"c\": \"model-00002-of-00002.safetensors\"}}");
        Files.write(repo.resolve("model-00001-of-00002.safetensors"), new byte[3000]);
        Files.write(repo.resolve("model-00002-of-00002.safetensors"), new byte[2000]);
        Files.write(repo.resolve("onnx").resolve("model.onnx"), new byte[100]);
        Files.writeString(repo.resolve("README.md"), "a checkpoint\n");
        standIn.add(StandInRepo.ofFolder("test/tiny-checkpoint", repo));
        ModelSpec spec = new ModelSpec("pytorch", "0_001", List.of("none"),
                Map.of("huggingface", new ModelSource("test/tiny-checkpoint", null, null)), null);

        DownloadedModel model = hub(false).download(HubRequest.of(spec, "none", HubSettings.HUGGINGFACE),
                new DownloadProgress("test/tiny-checkpoint"));

        assertThat(model.path().getFileName().toString()).isEqualTo(model.commit());
        assertThat(model.files()).containsExactlyInAnyOrder("config.json", "generation_config.json", "tokenizer.json",
                "tokenizer_config.json", "model.safetensors.index.json", "model-00001-of-00002.safetensors",
                "model-00002-of-00002.safetensors");
        for (String name : model.files()) {
            assertThat(Files.mismatch(model.path().resolve(name), repo.resolve(name))).isEqualTo(-1);
        }
        assertThat(model.path().resolve("onnx")).doesNotExist();
    }

    @Test
    void aPinnedCommitIsFetchedAsIsAndWritesNoBranchRef() {
        ModelSpec pinned = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of("huggingface",
                new ModelSource(SmolLm2Gguf.REPO, "SmolLM2-135M-Instruct.{quantization}.gguf", smol.commit())), null);
        DownloadedModel model = hub(false).download(HubRequest.of(pinned, "Q4_1", HubSettings.HUGGINGFACE),
                new DownloadProgress(SmolLm2Gguf.REPO));
        assertThat(model.commit()).isEqualTo(smol.commit());
        assertThat(new HfCache(cacheRoot).repoDir(SmolLm2Gguf.REPO).resolve("refs")).doesNotExist();

        ModelSpec unknown = new ModelSpec("ggufv2", "0_135", List.of("Q4_1"), Map.of("huggingface",
                new ModelSource(SmolLm2Gguf.REPO, "SmolLM2-135M-Instruct.{quantization}.gguf", "0".repeat(40))), null);
        assertThatThrownBy(() -> hub(false).prepare(HubRequest.of(unknown, "Q4_1", HubSettings.HUGGINGFACE)))
                .isInstanceOf(HubException.class).hasMessageContaining("0000000000");
    }

    @Test
    void tooLittleDiskSpaceIsRefusedBeforeAnyByteIsFetched() {
        standIn.listSize(sha(), 1L << 60);
        assertThatThrownBy(() -> hub(false).download(smolGguf(), new DownloadProgress(SmolLm2Gguf.REPO)))
                .isInstanceOf(HubException.class).hasMessageContaining("Not enough disk space")
                .hasMessageContaining(cacheRoot.toString());
        assertThat(standIn.servedBytesTotal()).isZero();
    }
}
