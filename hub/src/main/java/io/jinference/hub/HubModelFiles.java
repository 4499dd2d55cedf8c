package io.jinference.hub;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.runtime.ModelFileSource;
import io.jinference.runtime.ModelFiles;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelState;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model files of a launch: local ones first ({@code model_path}, a registration's {@code model_uri}, the
 * Xinference-layout cache), else the spec's hub repository, downloaded into the shared cache as far as it is missing.
 * Preparing asks the hub for the commit and file list, so that a repository or file it does not have is refused
 * before the launch is accepted; fetching runs where the model loads, reports its progress under the model's UID and
 * stops, keeping the parts, when the launch is terminated.
 */
public final class HubModelFiles implements ModelFileSource {
    private static final Logger LOG = LoggerFactory.getLogger(HubModelFiles.class);

    private final Path home;
    private final ModelHub hub;
    private final LaunchDownloads downloads;

    public HubModelFiles(Path home, ModelHub hub, LaunchDownloads downloads) {
        this.home = home;
        this.hub = hub;
        this.downloads = downloads;
    }

    @Override
    public PreparedFiles prepare(ModelFamily family, ModelSpec spec, String quantization, String modelPath,
            String downloadHub) {
        Path local = ModelFiles.findLocal(home, family, spec, quantization, modelPath);
        if (local != null) {
            return PreparedFiles.local(local);
        }
        HubRequest request = downloadHub == null ? HubRequest.of(spec, quantization, hub.settings().preferredHub())
                : HubRequest.from(spec, quantization, downloadHub);
        HubSource.PreparedDownload prepared = hub.prepare(request);
        return new PreparedFiles() {
            @Override
            public Path fetch(ModelInstance instance) {
                DownloadProgress progress = downloads.start(instance.uid(), request.repoId());
                DownloadedModel model = hub.fetch(prepared, progress,
                        () -> instance.state() == ModelState.TERMINATING);
                LOG.info("Model {}: files of {} at {} are in {}", instance.uid(), request.repoId(), model.commit(),
                        model.path());
                return model.path();
            }

            @Override
            public Map<String, Object> provenance() {
                return Map.of("model_hub", request.hub(), "model_id", request.repoId(), "model_revision",
                        prepared.commit());
            }
        };
    }
}
