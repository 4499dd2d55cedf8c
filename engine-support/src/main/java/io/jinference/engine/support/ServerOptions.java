package io.jinference.engine.support;

import io.jinference.api.LoadRequest;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Launch keys every managed-server engine understands the same way, and the supervision defaults. */
public final class ServerOptions {
    /** Launch key: seconds a server may take to become ready (default 600: first loads compile kernels). */
    public static final String LAUNCH_TIMEOUT = "launch_timeout";
    /** Launch key: how often a server that died is started again (default 3). */
    public static final String MAX_RESTARTS = "max_restarts";
    /** Launch keys of the supervision itself; never passed to a server. */
    public static final List<String> SUPERVISION_KEYS = List.of(LAUNCH_TIMEOUT, MAX_RESTARTS);

    public static final Duration LIVENESS_INTERVAL = Duration.ofSeconds(2);
    public static final Duration RESTART_BACKOFF = Duration.ofSeconds(1);

    private ServerOptions() {
    }

    public static Duration launchTimeout(LoadRequest request) {
        return Duration.ofSeconds(request.intOption(LAUNCH_TIMEOUT, 600));
    }

    public static int maxRestarts(LoadRequest request) {
        return request.intOption(MAX_RESTARTS, 3);
    }

    /** {@code CUDA_VISIBLE_DEVICES} spelling of GPU indexes: {@code 0,2}. */
    public static String joinIndexes(List<Integer> indexes) {
        return indexes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Appends {@code flag value} when the launch key is present. */
    public static void addIfPresent(List<String> argv, LoadRequest request, String key, String flag) {
        Object value = request.options().get(key);
        if (value != null) {
            argv.add(flag);
            argv.add(String.valueOf(value));
        }
    }
}
