package io.jinference.launcher.rest;

/**
 * An error answered to the client with this HTTP status, as {@code {"detail": message}} for Xinference's clients
 * and {@code {"error": {"message", "type", "param", "code"}}} for OpenAI's.
 */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String param;

    public ApiError(int status, String detail) {
        this(status, detail, null);
    }

    /** @param param the request parameter at fault (OpenAI's {@code error.param}), or null */
    public ApiError(int status, String detail, String param) {
        super(detail);
        this.status = status;
        this.param = param;
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    /** A 400 that names the request parameter at fault, which OpenAI's clients show as {@code param}. */
    public static ApiError badParameter(String param, String detail) {
        return new ApiError(400, detail, param);
    }

    public int status() {
        return status;
    }

    /** The request parameter at fault, or null. */
    public String param() {
        return param;
    }
}
