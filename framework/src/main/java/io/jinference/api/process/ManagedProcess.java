package io.jinference.api.process;

import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/** A child process the host supervises. Thread-safe. */
@ProviderType
public interface ManagedProcess extends AutoCloseable {

    /** Lifecycle of the child (of its current generation). */
    enum State {
        /** Started, not yet answering its health URL. */
        STARTING,
        /** Answering its health URL. */
        READY,
        /** Died or stopped answering; waiting for a restart if the restart policy allows one. */
        FAILED,
        /** Stopped on purpose; never restarted. */
        STOPPED
    }

    String name();

    State state();

    /** Counts starts: 1 for the first, +1 for each restart. */
    int generation();

    /** The pid of the engine program itself (not of a wrapper); -1 when it is not running. */
    long pid();

    /** Why the child failed last (exit code or failing health check, with the last log lines); null if it never did. */
    String failure();

    /** The most recent lines the child wrote to stdout/stderr, oldest first. */
    List<String> lastLogLines(int count);

    /** The current log file (rotated by size). */
    Path logFile();

    /**
     * Blocks until the child is {@link State#READY}.
     *
     * @throws io.jinference.api.EngineException {@code LOAD_FAILED} with the last log lines when the child died or
     *         did not become ready within the startup timeout
     */
    void awaitReady();

    /** Stops the child: SIGTERM, then SIGKILL after a grace period. Safe to call twice. */
    @Override
    void close();
}
