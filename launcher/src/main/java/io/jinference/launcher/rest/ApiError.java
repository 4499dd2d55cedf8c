package io.jinference.launcher.rest;

/** An error answered to the client as {@code {"detail": message}} with this HTTP status. */
public final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    public ApiError(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    public int status() {
        return status;
    }
}
