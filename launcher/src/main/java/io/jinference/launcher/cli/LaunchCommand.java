package io.jinference.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "launch", description = "Launch a model on a running server and print its UID.")
public final class LaunchCommand extends RemoteCommand {
    @Parameters(index = "0", description = "Model family name, e.g. smollm2-instruct")
    String model;
    @Mixin
    SpecOptions wanted;
    @Option(names = "--model-path", description = "Local model file or folder")
    String modelPath;
    @Option(names = "--n-parallel", description = "Parallel request slots")
    Integer nParallel;
    @Option(names = "--model-uid", description = "UID to serve the model under (default: the model name)")
    String modelUid;
    @Option(names = "--engine-version", description = "Engine version or OSGi range, e.g. 0.1.0 or [0.1,0.2) "
            + "(default: the highest that can run the model)")
    String engineVersion;
    @Option(names = "--relaunch-on-update", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Relaunch the model when its engine bundle is updated; --no-relaunch-on-update to "
                    + "terminate it instead (default: on)")
    boolean relaunchOnUpdate;
    @Option(names = "--no-progress", description = "Wait for the launch without a progress bar")
    boolean noProgress;

    @Override
    void run(RestClient client) throws RestClient.ServerUnreachableException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model_name", model);
        body.put("model_engine", wanted.engine);
        body.put("model_backend", wanted.backend);
        body.put("model_format", wanted.format);
        body.put("model_size_in_billions", wanted.size);
        body.put("quantization", wanted.quantization);
        body.put("model_path", modelPath == null ? null : Path.of(modelPath).toAbsolutePath().toString());
        body.put("model_uid", modelUid);
        body.put("engine_version", engineVersion);
        body.put("relaunch_on_update", relaunchOnUpdate);
        body.put("n_parallel", nParallel);
        if (noProgress) {
            out().println(client.post("/v1/models", body).path("model_uid").asText());
            return;
        }
        // Launch without waiting and show how far it is until the model serves: the download (without a local
        // path the server may fetch the files first), then the state while the engine loads it.
        String uid = client.post("/v1/models?wait_ready=false", body).path("model_uid").asText();
        awaitReady(client, uid);
        out().println(uid);
    }

    private static void awaitReady(RestClient client, String uid) throws RestClient.ServerUnreachableException {
        try (ProgressBar bar = ProgressBars.bytes(uid, 0)) {
            while (true) {
                JsonNode progress = client.get("/v1/models/" + uid + "/progress");
                JsonNode download = progress.path("download");
                if (download.isObject()) {
                    ProgressBars.update(bar, download.path("total_bytes").asLong(),
                            () -> download.path("downloaded_bytes").asLong());
                }
                String status = progress.path("status").asText();
                bar.setExtraMessage(download.isObject() && !"done".equals(download.path("stage").asText())
                        ? "downloading" : status);
                if (status.equals("ready")) {
                    return;
                }
                if (status.equals("failed")) {
                    throw new RestClient.ApiCallException(400, "Launch of " + uid + " failed: "
                            + progress.path("failure").asText());
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RestClient.ApiCallException(499, "Interrupted while " + uid + " launches");
                }
            }
        }
    }
}
