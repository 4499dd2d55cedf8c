package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.api.ModelFamily;
import io.jinference.catalog.ModelCatalog;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The calls of xinference-client 4.x that the other handlers do not answer, in Xinference's shapes: model instances,
 * built-in prompts, aborting a request by id, reload status, workers and supervisor of this one-node cluster, and the
 * cluster's version. Registered before {@code /v1/models/{model_uid}}, so that the fixed routes win over the UID.
 */
final class XinferenceHandler {
    private final ModelManager models;
    private final ModelCatalog catalog;
    private final AbortableRequests requests;
    private final ClusterHandler cluster;

    private XinferenceHandler(ModelManager models, ModelCatalog catalog, AbortableRequests requests,
            ClusterHandler cluster) {
        this.models = models;
        this.catalog = catalog;
        this.requests = requests;
        this.cluster = cluster;
    }

    /** The fixed {@code /v1/models/...} routes; call before {@code /v1/models/{model_uid}} is registered. */
    static XinferenceHandler register(RoutesConfig routes, ModelManager models, ModelCatalog catalog,
            AbortableRequests requests, ClusterHandler cluster) {
        XinferenceHandler handler = new XinferenceHandler(models, catalog, requests, cluster);
        routes.get("/v1/models/instances", handler::instances);
        routes.get("/v1/models/prompts", handler::prompts);
        routes.get("/v1/models/{model_uid}/reload", handler::reloadStatus);
        routes.post("/v1/models/{model_uid}/requests/{request_id}/abort", handler::abort);
        routes.get("/v1/workers", handler::workers);
        routes.get("/v1/supervisor", handler::supervisor);
        routes.get("/v1/cluster/version", handler::version);
        return handler;
    }

    /** {@code get_instance_info}: the launched models, optionally one name or UID, as Xinference's InstanceInfo. */
    void instances(Context ctx) {
        String name = ctx.queryParam("model_name");
        String uid = ctx.queryParam("model_uid");
        List<Map<String, Object>> instances = models.list().stream()
                .filter(instance -> name == null || name.isEmpty() || instance.family().name().equals(name))
                .filter(instance -> uid == null || uid.isEmpty() || instance.uid().equals(uid))
                .map(XinferenceHandler::instanceInfo).toList();
        Json.send(ctx, instances);
    }

    private static Map<String, Object> instanceInfo(ModelInstance instance) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("model_name", instance.family().name());
        info.put("model_uid", instance.uid());
        info.put("model_ability", instance.family().abilities());
        info.put("replica", 1);
        info.put("status", instance.state().name());
        info.put("instance_created_ts", instance.createdEpochSeconds());
        return info;
    }

    /** Xinference's built-in prompts: every chat family's template and stop words. */
    void prompts(Context ctx) {
        Map<String, Object> prompts = new LinkedHashMap<>();
        for (ModelFamily family : catalog.families()) {
            if (family.builtin() && family.chatTemplate() != null) {
                Map<String, Object> prompt = new LinkedHashMap<>();
                prompt.put("chat_template", family.chatTemplate());
                prompt.put("stop", family.stop());
                prompt.put("stop_token_ids", family.stopTokenIds());
                prompts.put(family.name(), prompt);
            }
        }
        Json.send(ctx, prompts);
    }

    /** Jinference reloads no model in place (it relaunches): the latest reload operation is none. */
    void reloadStatus(Context ctx) {
        ModelInstance instance = models.get(ctx.pathParam("model_uid"));
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("model_uid", instance.uid());
        status.put("stage", null);
        status.put("status", null);
        status.put("error", null);
        Json.send(ctx, status);
    }

    /** Xinference's abort: a request that already finished, or never ran, is no error. */
    void abort(Context ctx) {
        ModelInstance instance = models.get(ctx.pathParam("model_uid"));
        boolean aborted = requests.abort(instance.uid(), ctx.pathParam("request_id"));
        Json.send(ctx, Map.of("aborted", aborted));
    }

    void workers(Context ctx) {
        Json.send(ctx, List.of(cluster.nodeInfo("Worker")));
    }

    void supervisor(Context ctx) {
        Json.send(ctx, cluster.nodeInfo("Supervisor"));
    }

    /** Xinference answers versioneer's dict; here the framework bundle's version. */
    void version(Context ctx) {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("version", frameworkVersion());
        version.put("full-revisionid", null);
        version.put("dirty", null);
        version.put("error", null);
        version.put("date", null);
        Json.send(ctx, version);
    }

    /** The Bundle-Version of the framework jar (or classes folder) that holds the model manager. */
    static String frameworkVersion() {
        try {
            Path location = Path.of(ModelManager.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Manifest manifest;
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    manifest = new Manifest(in);
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    manifest = jar.getManifest();
                }
            }
            String version = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-Version");
            return version == null ? "unknown" : version;
        } catch (IOException | URISyntaxException | SecurityException | NullPointerException e) {
            return "unknown";
        }
    }
}
