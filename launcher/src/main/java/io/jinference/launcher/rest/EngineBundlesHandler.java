package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.hotplug.BundleInfo;
import io.jinference.hotplug.BundleRejectedException;
import io.jinference.launcher.EngineHotplug;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /v1/engine-bundles}: list, install, update and remove engine bundles while serving. A body is either the
 * jar itself ({@code Content-Type: application/java-archive} or {@code application/octet-stream}, optional
 * {@code ?name=}) or JSON {@code {"path": "/a/jar/on/this/host.jar"}}.
 */
public final class EngineBundlesHandler {

    private final EngineHotplug hotplug;
    private final ModelManager models;

    private EngineBundlesHandler(EngineHotplug hotplug, ModelManager models) {
        this.hotplug = hotplug;
        this.models = models;
    }

    public static void register(RoutesConfig routes, EngineHotplug hotplug, ModelManager models) {
        EngineBundlesHandler handler = new EngineBundlesHandler(hotplug, models);
        routes.get("/v1/engine-bundles", handler::list);
        routes.post("/v1/engine-bundles", handler::install);
        routes.get("/v1/engine-bundles/{id}", handler::get);
        routes.put("/v1/engine-bundles/{id}", handler::update);
        routes.delete("/v1/engine-bundles/{id}", handler::remove);
    }

    void list(Context ctx) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("bundles", hotplug.bundles().list().stream().map(this::view).toList());
        answer.put("folder_rejected", hotplug.folder().rejected());
        Json.send(ctx, answer);
    }

    void get(Context ctx) {
        Json.send(ctx, view(rejecting(() -> hotplug.bundles().get(id(ctx)))));
    }

    void install(Context ctx) {
        Upload upload = upload(ctx);
        ctx.status(201);
        Json.send(ctx, view(rejecting(() -> hotplug.bundles().install(upload.name(), upload.content()))));
    }

    void update(Context ctx) {
        long id = id(ctx);
        Upload upload = upload(ctx);
        Json.send(ctx, view(rejecting(() -> hotplug.bundles().update(id, upload.content()))));
    }

    void remove(Context ctx) {
        long id = id(ctx);
        Json.send(ctx, view(rejecting(() -> hotplug.bundles().remove(id))));
    }

    private Map<String, Object> view(BundleInfo info) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", info.id());
        view.put("symbolic_name", info.symbolicName());
        view.put("version", info.version());
        view.put("state", info.state());
        view.put("role", info.role());
        view.put("location", info.location());
        view.put("engines", info.engines());
        view.put("models", models.list().stream().filter(model -> model.engineBundleId() == info.id())
                .map(ModelInstance::uid).toList());
        return view;
    }

    private static BundleInfo rejecting(Supplier<BundleInfo> operation) {
        try {
            return operation.get();
        } catch (BundleRejectedException e) {
            throw new ApiError(e.problem().httpStatus(), e.getMessage());
        }
    }

    private static long id(Context ctx) {
        try {
            return Long.parseLong(ctx.pathParam("id"));
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("The bundle id must be a number, got '" + ctx.pathParam("id") + "'");
        }
    }

    private static Upload upload(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (type.startsWith("application/json")) {
            ObjectNode body = Json.body(ctx);
            Path path = Path.of(Json.requiredText(body, "path"));
            if (!Files.isRegularFile(path)) {
                throw ApiError.badRequest("No file at " + path + " on the server's host");
            }
            try {
                return new Upload(path.getFileName().toString(), Files.newInputStream(path));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (type.startsWith("application/java-archive") || type.startsWith("application/octet-stream")) {
            String name = ctx.queryParam("name");
            return new Upload(name == null ? "the uploaded jar" : name, ctx.bodyInputStream());
        }
        throw new ApiError(415, "Send the jar as application/java-archive (or octet-stream), or JSON {\"path\": ...}");
    }

    private record Upload(String name, InputStream content) {
    }
}
