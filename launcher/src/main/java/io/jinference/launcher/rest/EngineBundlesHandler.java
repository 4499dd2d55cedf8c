package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.hotplug.BundleInfo;
import io.jinference.hotplug.BundleRejectedException;
import io.jinference.hotplug.BundleRejectedException.Problem;
import io.jinference.launcher.EngineHotplug;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code /v1/engine-bundles}: list, install, update and remove engine bundles while serving. A body is either the
 * jar itself ({@code Content-Type: application/java-archive} or {@code application/octet-stream}, optional
 * {@code ?name=}) or JSON {@code {"path": "/a/jar/on/this/host.jar"}}.
 */
public final class EngineBundlesHandler {

    /** The same answer for a missing file, an unreadable one and one that is no bundle: no file oracle. */
    static final String NO_BUNDLE_AT_PATH = "No bundle jar at that path on the server's host (a missing file, an "
            + "unreadable one and a file that is not a bundle jar all get this answer)";
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private final EngineHotplug hotplug;
    private final ModelManager models;
    private final long maxUploadBytes;

    private EngineBundlesHandler(EngineHotplug hotplug, ModelManager models, long maxUploadBytes) {
        this.hotplug = hotplug;
        this.models = models;
        this.maxUploadBytes = maxUploadBytes;
    }

    public static void register(RoutesConfig routes, EngineHotplug hotplug, ModelManager models, long maxUploadBytes) {
        EngineBundlesHandler handler = new EngineBundlesHandler(hotplug, models, maxUploadBytes);
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

    /** REST installs are kept across restarts: the store installs them again at every start. */
    void install(Context ctx) {
        Upload upload = upload(ctx);
        BundleInfo info = rejecting(upload, () -> hotplug.bundles().install(upload.name(), upload.content(), true));
        ctx.status(201);
        Json.send(ctx, view(info));
    }

    void update(Context ctx) {
        long id = id(ctx);
        Upload upload = upload(ctx);
        Json.send(ctx, view(rejecting(upload, () -> hotplug.bundles().update(id, upload.content()))));
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
        return rejecting(null, operation);
    }

    /** A jar read from a path answers not-a-jar problems with one message, so they do not tell what the file is. */
    private static BundleInfo rejecting(Upload upload, Supplier<BundleInfo> operation) {
        try {
            return operation.get();
        } catch (BundleRejectedException e) {
            boolean unreadable = e.problem() == Problem.NOT_A_JAR || e.problem() == Problem.NOT_A_BUNDLE;
            if (upload != null && upload.fromPath() && unreadable) {
                throw ApiError.badRequest(NO_BUNDLE_AT_PATH);
            }
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

    private Upload upload(Context ctx) {
        String type = ctx.contentType() == null ? "" : ctx.contentType();
        if (type.startsWith("application/json")) {
            ObjectNode body = Json.body(ctx);
            Path path;
            try {
                path = Path.of(Json.requiredText(body, "path"));
            } catch (InvalidPathException e) {
                throw ApiError.badRequest(NO_BUNDLE_AT_PATH);
            }
            if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
                throw ApiError.badRequest(NO_BUNDLE_AT_PATH);
            }
            try {
                return new Upload("the jar at the given path", Files.newInputStream(path), true);
            } catch (IOException e) {
                throw ApiError.badRequest(NO_BUNDLE_AT_PATH);
            }
        }
        if (type.startsWith("application/java-archive") || type.startsWith("application/octet-stream")) {
            String name = ctx.queryParam("name");
            String shown = name == null ? "the uploaded jar" : name.length() > 80 ? name.substring(0, 80) + "…" : name;
            return new Upload(shown, zipOnly(new LimitedInputStream(ctx.bodyInputStream(), maxUploadBytes), shown),
                    false);
        }
        throw new ApiError(415, "Send the jar as application/java-archive (or octet-stream), or JSON {\"path\": ...}");
    }

    /** Looks at the first four bytes only: a body that is no zip is refused before the rest is read. */
    private static InputStream zipOnly(InputStream body, String name) {
        BufferedInputStream buffered = new BufferedInputStream(body);
        try {
            buffered.mark(ZIP_MAGIC.length);
            byte[] head = buffered.readNBytes(ZIP_MAGIC.length);
            buffered.reset();
            if (!Arrays.equals(head, ZIP_MAGIC)) {
                throw ApiError.badRequest(name + " is not a jar file (a jar starts with the zip signature PK)");
            }
            return buffered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @param fromPath read from the server's file system, whose errors must not describe the file */
    private record Upload(String name, InputStream content, boolean fromPath) {
    }
}
