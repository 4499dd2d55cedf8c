package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.jinference.security.AccessPolicy;
import io.jinference.security.RouteAccess;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;

/**
 * Runs before every matched route, cheapest check first: the {@code Host} header (DNS rebinding), the {@code Origin}
 * of a state-changing request (cross-site requests from web pages), the declared body size, the API key and its
 * role, the body's content type, then a prompt too long for its model's context. Each refusal is a JSON error; nothing of the body is read before the key is
 * checked, except the {@code model} field of an inference route for a user key.
 */
final class RequestGuard {
    /** Routes whose body is a jar (or JSON naming one); every other body must be JSON. */
    private static final Set<String> UPLOAD_ROUTES = Set.of("POST /v1/engine-bundles", "PUT /v1/engine-bundles/{id}");
    private static final Set<HandlerType> STATE_CHANGING = Set.of(HandlerType.POST, HandlerType.PUT,
            HandlerType.DELETE, HandlerType.PATCH);

    private final RestSecurity security;
    private final boolean loopback;
    private final PromptBound promptBound;

    RequestGuard(RestSecurity security, boolean loopback, PromptBound promptBound) {
        this.security = security;
        this.loopback = loopback;
        this.promptBound = promptBound;
    }

    static boolean isUpload(Context ctx) {
        return UPLOAD_ROUTES.contains(ctx.method() + " " + template(ctx));
    }

    /** The path template of the route this request matched ({@code /v1/models/{model_uid}}). */
    private static String template(Context ctx) {
        var endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? ctx.path() : endpoint.path;
    }

    void check(Context ctx) {
        checkHost(ctx);
        checkOrigin(ctx);
        checkDeclaredSize(ctx);
        checkKey(ctx);
        checkContentType(ctx);
        promptBound.check(ctx, template(ctx));
    }

    /**
     * A page on {@code evil.example} whose name is made to resolve to 127.0.0.1 talks to this server as "same
     * origin"; its requests still carry {@code Host: evil.example}, which is refused here.
     */
    private void checkHost(Context ctx) {
        if (!loopback) {
            return;
        }
        String host = hostName(ctx.header("Host"));
        if (!(host.equals("localhost") || host.equals("::1") || host.startsWith("127."))) {
            throw new ApiError(403, "This server listens on loopback and answers only requests addressed to "
                    + "localhost or 127.0.0.1 (Host header was '" + abbreviate(ctx.header("Host")) + "')");
        }
    }

    private static String hostName(String hostHeader) {
        if (hostHeader == null) {
            return "";
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(1, end);
        }
        int colon = host.indexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }

    /** Browsers send {@code Origin} with every cross-site POST; same-origin and configured origins pass. */
    private void checkOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null || !STATE_CHANGING.contains(ctx.method())) {
            return;
        }
        String host = ctx.header("Host");
        boolean sameOrigin = host != null && (origin.equalsIgnoreCase("http://" + host)
                || origin.equalsIgnoreCase("https://" + host));
        if (!sameOrigin && !security.corsOrigins().contains(origin)) {
            throw new ApiError(403, "Requests that change state are not accepted from the web origin '"
                    + abbreviate(origin) + "'; start the server with --cors-origins to allow it");
        }
    }

    private void checkDeclaredSize(Context ctx) {
        long limit = isUpload(ctx) ? security.maxUploadBytes() : security.maxJsonBytes();
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            throw new ApiError(413, "Request body too large: at most " + limit + " bytes are accepted on this route");
        }
    }

    private void checkKey(Context ctx) {
        AccessPolicy policy = security.access();
        if (!policy.enabled()) {
            return;
        }
        RouteAccess.Rule rule = RouteAccess.of(ctx.method().name(), template(ctx));
        AccessPolicy.Decision decision = policy.decide(rule, bearer(ctx), () -> model(ctx, rule));
        if (!decision.allowed()) {
            if (decision.status() == 401) {
                ctx.header("WWW-Authenticate", "Bearer");
            }
            throw new ApiError(decision.status(), decision.reason());
        }
    }

    private static String bearer(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null) {
            return null;
        }
        String trimmed = header.trim();
        return trimmed.regionMatches(true, 0, "Bearer ", 0, 7) ? trimmed.substring(7).trim() : "";
    }

    /** The model a request names; null when it names none (a body that is not JSON names none). */
    private static String model(Context ctx, RouteAccess.Rule rule) {
        RouteAccess.ModelSource source = rule.model();
        if (source == null) {
            return null;
        }
        if (source.pathParam() != null) {
            return ctx.pathParam(source.pathParam());
        }
        if (!isJson(ctx)) {
            return null;
        }
        try {
            JsonNode body = Json.MAPPER.readTree(ctx.body());
            for (String field : source.bodyFields()) {
                JsonNode value = body == null ? null : body.get(field);
                if (value != null && value.isTextual()) {
                    return value.asText();
                }
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * A JSON content type cannot be sent cross-site without a CORS preflight, which this server answers only for
     * configured origins: requiring it closes the {@code text/plain} form-post hole.
     */
    private static void checkContentType(Context ctx) {
        if (!hasBody(ctx) || isUpload(ctx)) {
            return;
        }
        if (!isJson(ctx)) {
            throw new ApiError(415, "Send the body as JSON (Content-Type: application/json), got '"
                    + abbreviate(ctx.contentType()) + "'");
        }
    }

    private static boolean hasBody(Context ctx) {
        return ctx.req().getContentLengthLong() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    static boolean isJson(Context ctx) {
        String type = ctx.contentType();
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** Header values echoed in errors are cut short: an error must not become a way to reflect large input. */
    private static String abbreviate(String value) {
        if (value == null) {
            return "";
        }
        return value.length() <= 80 ? value : value.substring(0, 80) + "…";
    }
}
