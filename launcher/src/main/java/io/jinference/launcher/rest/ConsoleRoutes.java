package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.console.ConsoleAssets;
import io.jinference.runtime.ModelManager;
import java.util.Map;

/**
 * The web console: its page at {@code /ui} and its files at {@code /ui/{asset}} (public: they hold no data; the API
 * routes they call keep their roles), and {@code GET /v1/models/{model_uid}/logs}, the engine server's log tail the
 * console shows (admin: logs name files and hosts).
 */
public final class ConsoleRoutes {
    /** The page may load only its own files and call only this server. */
    private static final String POLICY = "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
            + "frame-ancestors 'none'";
    private static final int LOG_LINES = 200;

    private ConsoleRoutes() {
    }

    public static void register(RoutesConfig routes, ModelManager models) {
        routes.get("/ui", ctx -> serve(ctx, ConsoleAssets.INDEX));
        routes.get("/ui/{asset}", ctx -> serve(ctx, ctx.pathParam("asset")));
        routes.get("/v1/models/{model_uid}/logs", ctx -> Json.send(ctx, Map.of("model_uid",
                ctx.pathParam("model_uid"), "lines", models.get(ctx.pathParam("model_uid")).logTail(LOG_LINES))));
    }

    private static void serve(Context ctx, String name) {
        ConsoleAssets.Asset asset = ConsoleAssets.find(name)
                .orElseThrow(() -> new ApiError(404, "The console has no file named '"
                        + (name.length() > 80 ? name.substring(0, 80) + "…" : name) + "'"));
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(asset.contentType()).result(asset.content());
    }
}
