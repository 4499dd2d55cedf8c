package io.jinference.hub;

import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.util.Map;

/**
 * One spec's files on one hub: the repository (the source's {@code model_id} with the quantization filled in), the
 * revision (the spec's pinned one, else the hub's default branch), and what to pick from it.
 */
public record HubRequest(String hub, String repoId, String revision, String format, String fileNameTemplate,
        String quantization) {

    /**
     * The request for a spec: from the preferred hub when the spec names it, else from Hugging Face, else from the
     * first hub it names.
     *
     * @throws HubException when the spec names no hub repository
     */
    public static HubRequest of(ModelSpec spec, String quantization, String preferredHub) {
        Map<String, ModelSource> sources = spec.sources();
        String hub = sources.containsKey(preferredHub) ? preferredHub
                : sources.containsKey(HubSettings.HUGGINGFACE) ? HubSettings.HUGGINGFACE
                : sources.keySet().stream().findFirst().orElse(null);
        ModelSource source = hub == null ? null : sources.get(hub);
        if (source == null || source.modelId() == null || source.modelId().isBlank()) {
            throw new HubException("The " + spec.format() + " " + spec.sizeInBillions()
                    + "B spec names no hub repository to download from; pass model_path");
        }
        if (!hub.equals(HubSettings.HUGGINGFACE) && !hub.equals(HubSettings.MODELSCOPE)) {
            throw new HubException("Hub " + hub + " is not supported (huggingface, modelscope)");
        }
        String repoId = source.modelId().replace("{quantization}", quantization);
        String revision = source.revision() != null && !source.revision().isBlank() ? source.revision()
                : hub.equals(HubSettings.MODELSCOPE) ? "master" : "main";
        return new HubRequest(hub, repoId, revision, spec.format(), source.fileNameTemplate(), quantization);
    }

    /**
     * The request for a spec from exactly the hub a launch named ({@code download_hub}).
     *
     * @throws HubException when that hub is not one Jinference downloads from, or the spec has no repository there
     */
    public static HubRequest from(ModelSpec spec, String quantization, String downloadHub) {
        String hub = downloadHub.trim().toLowerCase(java.util.Locale.ROOT);
        if (!hub.equals(HubSettings.HUGGINGFACE) && !hub.equals(HubSettings.MODELSCOPE)) {
            throw new HubException("download_hub must be huggingface or modelscope, got '" + downloadHub + "'");
        }
        if (!spec.sources().containsKey(hub)) {
            throw new HubException("The " + spec.format() + " " + spec.sizeInBillions() + "B spec has no " + hub
                    + " repository (it names " + String.join(", ", spec.sources().keySet()) + "); drop download_hub"
                    + " or pass model_path");
        }
        return of(spec, quantization, hub);
    }

    public String describe() {
        return hub + " " + repoId + "@" + revision + " (" + format + ", " + quantization + ")";
    }
}
