package io.jinference.launcher.rest;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.jinference.api.EngineException;
import io.jinference.runtime.ModelNotFoundException;
import io.jinference.runtime.ModelNotReadyException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure becomes {@code {"detail": "..."}} with the right status: client mistakes 4xx, a model that cannot
 * serve now 503, and anything unexpected 500 with the message only (the stack trace goes to the log, never to the
 * client).
 */
final class ErrorMapper {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapper.class);

    private ErrorMapper() {
    }

    static void register(RoutesConfig routes) {
        routes.exception(Exception.class, (e, ctx) -> answer(ctx, e));
        // Javalin and Jetty answer an unknown route, a wrong method or an oversize body in plain text; an error
        // mapped above is already JSON.
        for (int status : new int[] {404, 405, 413}) {
            routes.error(status, "*", ctx -> {
                if (!isJson(ctx)) {
                    detail(ctx, status, plainError(status, ctx), null);
                }
            });
        }
    }

    private static String plainError(int status, Context ctx) {
        return switch (status) {
            case 404 -> "Not found: " + ctx.method() + " " + ctx.path();
            case 405 -> "Method not allowed: " + ctx.method() + " " + ctx.path();
            default -> "Request body too large for this route";
        };
    }

    private static boolean isJson(Context ctx) {
        String contentType = ctx.res().getContentType();
        return contentType != null && contentType.startsWith("application/json");
    }

    private static void answer(Context ctx, Exception e) {
        int status = status(e);
        if (status == 500) {
            // The message of an unexpected failure may name files of the server (its home, a model's path): it goes
            // to the log only, and the client gets a reference to find it there.
            String reference = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
            LOG.error("Unexpected failure on {} {} (reference {})", ctx.method(), ctx.path(), reference, e);
            detail(ctx, status, "Internal error; the server's log has the details under reference " + reference, null);
        } else {
            detail(ctx, status, e.getMessage(), e instanceof ApiError api ? api.param() : null);
        }
    }

    static int status(Throwable e) {
        if (e instanceof ApiError apiError) {
            return apiError.status();
        }
        if (e instanceof HttpResponseException http) {
            return http.getStatus();
        }
        if (e instanceof ModelNotFoundException) {
            return 404;
        }
        if (e instanceof ModelNotReadyException) {
            return 503;
        }
        if (e instanceof EngineException engine) {
            return switch (engine.kind()) {
                case INVALID_REQUEST, LOAD_FAILED, UNSUPPORTED -> 400;
                case UNAVAILABLE -> 503;
                case INTERNAL -> 500;
            };
        }
        if (e instanceof IllegalArgumentException) {
            return 400;
        }
        return 500;
    }

    /**
     * Xinference's clients show {@code detail}; OpenAI's read {@code error.message} (openai-python puts it in the
     * exception's text), {@code error.type}, {@code error.param} and {@code error.code}. Every error carries both.
     */
    private static void detail(Context ctx, int status, String detail, String param) {
        ctx.status(status);
        String message = detail == null ? "" : detail;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", message);
        body.put("error", openAiError(message, status, param));
        Json.send(ctx, body);
    }

    /**
     * OpenAI's error object. {@code code} is the HTTP status, as vLLM and llama-server write it, so that an error an
     * engine server answered reads the same once it has passed through.
     */
    static Map<String, Object> openAiError(String message, int status, String param) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", message);
        error.put("type", errorType(status));
        error.put("param", param);
        error.put("code", status);
        return error;
    }

    static String errorType(int status) {
        return switch (status) {
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            default -> status >= 500 ? "server_error" : "invalid_request_error";
        };
    }
}
