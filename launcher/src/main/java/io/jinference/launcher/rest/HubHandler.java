package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.catalog.ModelCatalog;
import io.jinference.hub.CacheInventory;
import io.jinference.hub.CachedModel;
import io.jinference.hub.DownloadProgress;
import io.jinference.hub.LaunchDownloads;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import io.jinference.runtime.ModelState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Xinference's launch progress and cancel ({@code GET /v1/models/{uid}/progress}, {@code POST …/cancel}) and its
 * cache routes ({@code GET/DELETE /v1/cache/models}), over the hub module's downloads and the Hugging Face cache.
 */
public final class HubHandler {
    private final ModelManager models;
    private final LaunchDownloads downloads;
    private final CacheInventory inventory;
    private final ModelCatalog catalog;

    private HubHandler(ModelManager models, LaunchDownloads downloads, CacheInventory inventory,
            ModelCatalog catalog) {
        this.models = models;
        this.downloads = downloads;
        this.inventory = inventory;
        this.catalog = catalog;
    }

    public static void register(RoutesConfig routes, ModelManager models, LaunchDownloads downloads,
            CacheInventory inventory, ModelCatalog catalog) {
        HubHandler handler = new HubHandler(models, downloads, inventory, catalog);
        routes.get("/v1/models/{model_uid}/progress", handler::progress);
        routes.post("/v1/models/{model_uid}/cancel", handler::cancel);
        routes.get("/v1/cache/models", handler::cached);
        routes.delete("/v1/cache/models", handler::removeCached);
    }

    /**
     * {@code {"progress": 0..1}} as Xinference answers it (1 once the model serves; a finished download of a model
     * still loading stays just below 1), with the state and the download's figures.
     */
    void progress(Context ctx) {
        ModelInstance instance = models.get(ctx.pathParam("model_uid"));
        Optional<DownloadProgress> download = downloads.of(instance.uid());
        ModelState state = instance.state();
        double progress = state == ModelState.READY ? 1.0
                : Math.min(0.99, download.map(DownloadProgress::fraction).orElse(0.0));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("progress", progress);
        answer.put("status", state.name().toLowerCase());
        download.ifPresent(figures -> answer.put("download", figures.describe()));
        if (instance.failure() != null) {
            answer.put("failure", instance.failure());
        }
        Json.send(ctx, answer);
    }

    /** Xinference's cancel: stops a launch (a download keeps its parts for a resume) and frees the UID. */
    void cancel(Context ctx) {
        models.terminate(ctx.pathParam("model_uid"));
        Json.send(ctx, null);
    }

    /** Xinference's {@code list_cached_models}: {@code {"list": [...]}}, optionally for one {@code model_name}. */
    void cached(Context ctx) {
        String name = ctx.queryParam("model_name");
        List<Map<String, Object>> list = inventory.list(catalog.families()).stream()
                .filter(entry -> name == null || entry.modelName().equals(name))
                .map(CachedModel::describe).toList();
        Json.send(ctx, Map.of("list", list));
    }

    /** Removes {@code ?model_version=} (a spec's files, or a whole repository by its id); refused while in use. */
    void removeCached(Context ctx) {
        String version = ctx.queryParam("model_version");
        if (version == null || version.isBlank()) {
            throw ApiError.badRequest("model_version is required, e.g. smollm2-instruct--0_135B--ggufv2--Q4_1 or a "
                    + "repository id");
        }
        List<CachedModel> entries = inventory.list(catalog.families()).stream()
                .filter(entry -> entry.modelVersion().equals(version) || entry.repoId().equals(version)).toList();
        for (ModelInstance instance : models.list()) {
            Object repo = instance.describe("").get("model_id");
            if (repo != null && entries.stream().anyMatch(entry -> entry.repoId().equals(repo))) {
                throw new ApiError(409, "Model " + instance.uid() + " uses " + repo + "; terminate it first");
            }
        }
        if (!inventory.remove(version, catalog.families())) {
            throw new ApiError(404, "The cache holds no model " + version);
        }
        Json.send(ctx, Map.of("result", true));
    }
}
