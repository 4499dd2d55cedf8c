package io.jinference.hotplug;

/** A bundle operation the server refused or rolled back; the message says why in words a person can act on. */
public final class BundleRejectedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why, and the HTTP status the REST API answers with. */
    public enum Problem {
        NOT_A_JAR(400),
        NOT_A_BUNDLE(400),
        INVALID_HEADER(400),
        DUPLICATE(409),
        UNRESOLVED(422),
        START_FAILED(422),
        RESTART_REQUIRED(409),
        NOT_FOUND(404),
        NOT_AN_ENGINE_BUNDLE(403),
        NOT_TRUSTED(403);

        private final int httpStatus;

        Problem(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Problem problem;

    public BundleRejectedException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
