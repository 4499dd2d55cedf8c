package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.jinference.metrics.RequestIds;
import io.jinference.metrics.RequestRecord;
import io.jinference.metrics.ServerMetrics;

/**
 * Measures every request: before it, a {@link RequestRecord} with the request id (the client's {@code X-Request-Id}
 * when sane, else a new one, echoed back in the response); after it (errors included), the metrics and the request
 * log line. Handlers add what only they know (the model, the first token, the token counts) through {@link #of}.
 * Also serves {@code GET /metrics}.
 */
public final class Observed {
    private static final String ATTRIBUTE = "jinference.request";

    private Observed() {
    }

    public static void register(RoutesConfig routes, ServerMetrics metrics) {
        routes.before(ctx -> {
            RequestRecord record = metrics.begin(ctx.method().name(), ctx.header(RequestIds.HEADER));
            ctx.attribute(ATTRIBUTE, record);
            ctx.header(RequestIds.HEADER, record.id());
        });
        routes.after(ctx -> {
            RequestRecord record = ctx.attribute(ATTRIBUTE);
            if (record != null) {
                metrics.finish(record, route(ctx), ctx.statusCode());
            }
        });
        routes.get("/metrics", ctx -> ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape()));
    }

    /** This request's record; a detached one (counting nothing) outside an observed request. */
    static RequestRecord of(Context ctx) {
        RequestRecord record = ctx.attribute(ATTRIBUTE);
        return record != null ? record : RequestRecord.detached();
    }

    /** The matched route's template; requests that matched none share one label, so paths never become labels. */
    private static String route(Context ctx) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }
}
