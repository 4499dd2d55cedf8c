package io.jinference.launcher.cli;

import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.SpecMatch;
import io.jinference.hub.DownloadProgress;
import io.jinference.hub.DownloadedModel;
import io.jinference.hub.HubException;
import io.jinference.hub.HubRequest;
import io.jinference.hub.HubSettings;
import io.jinference.hub.HubSource;
import io.jinference.hub.ModelHub;
import io.jinference.launcher.JinferenceHome;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code jinf download <model> --format --size --quantization}: fetches a spec's files from its hub into the shared
 * cache (Hugging Face's, or ModelScope's), here, without a server, with a progress bar; prints the local path.
 */
@Command(name = "download", description = "Download a model's files from its hub (Hugging Face, a mirror in "
        + "HF_ENDPOINT, or ModelScope) into the shared cache and print their path.")
public final class DownloadCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "Model family name, e.g. smollm2-instruct")
    String model;
    @Option(names = "--format", description = "Model format, e.g. ggufv2")
    String format;
    @Option(names = "--size", description = "Size in billions, e.g. 0_135")
    String size;
    @Option(names = "--quantization", description = "Quantization, e.g. q4_1")
    String quantization;
    @Option(names = "--home", description = "Jinference home, for custom registrations (default: $JINFERENCE_HOME, "
            + "else ~/.jinference)")
    Path home;
    @Option(names = "--no-progress", description = "No progress bar")
    boolean noProgress;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        SpecMatch match = ModelCatalog.findFamily(JinferenceHome.resolve(home), model)
                .flatMap(family -> ModelCatalog.matchSpec(family, format, size, quantization)).orElse(null);
        if (match == null) {
            spec.commandLine().getErr().println("No spec of " + model + " matches format " + format + ", size "
                    + size + ", quantization " + quantization);
            return 1;
        }
        try {
            ModelHub hub = new ModelHub(HubSettings.fromEnvironment());
            HubRequest request = HubRequest.of(match.spec(), match.quantization(), hub.settings().preferredHub());
            HubSource.PreparedDownload prepared = hub.prepare(request);
            DownloadProgress progress = new DownloadProgress(request.repoId());
            CompletableFuture<DownloadedModel> download = CompletableFuture.supplyAsync(
                    () -> hub.fetch(prepared, progress, () -> false));
            DownloadedModel downloaded = noProgress ? download.join() : withBar(request, download, progress);
            spec.commandLine().getOut().println(downloaded.path());
            return 0;
        } catch (HubException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        } catch (java.util.concurrent.CompletionException e) {
            spec.commandLine().getErr().println(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            return 1;
        }
    }

    private static DownloadedModel withBar(HubRequest request, CompletableFuture<DownloadedModel> download,
            DownloadProgress progress) throws InterruptedException {
        try (ProgressBar bar = ProgressBars.bytes(request.repoId(), progress.totalBytes())) {
            while (true) {
                ProgressBars.update(bar, progress.totalBytes(), progress::doneBytes);
                try {
                    DownloadedModel done = download.get(200, TimeUnit.MILLISECONDS);
                    ProgressBars.update(bar, progress.totalBytes(), progress::doneBytes);
                    return done;
                } catch (TimeoutException stillRunning) {
                    continue;
                } catch (ExecutionException e) {
                    throw new java.util.concurrent.CompletionException(e.getCause());
                }
            }
        }
    }
}
