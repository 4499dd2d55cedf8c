package io.jinference.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wraps a child's command in a small shell loop so that the child cannot outlive the JVM for long, even after a
 * {@code kill -9} of the server (Java has no {@code prctl(PR_SET_PDEATHSIG)}). The wrapper starts the command in
 * the background, appends its pid to the pid file, forwards SIGTERM to it, and once a second checks that both the
 * JVM and the command are alive: when the JVM is gone it sends SIGTERM, then SIGKILL after a grace period. It exits
 * with the command's exit code.
 */
final class ParentWatchdog {
    static final String MARKER = "jinference-watchdog";

    private static final String SCRIPT = """
            parent=$1; pidfile=$2; grace=$3; shift 3
            "$@" &
            child=$!
            echo "engine=$child" >> "$pidfile"
            trap 'kill -TERM "$child" 2>/dev/null' TERM INT
            while kill -0 "$child" 2>/dev/null; do
              if ! kill -0 "$parent" 2>/dev/null; then
                kill -TERM "$child" 2>/dev/null
                waited=0
                while kill -0 "$child" 2>/dev/null && [ "$waited" -lt "$grace" ]; do sleep 1; waited=$((waited+1)); done
                kill -KILL "$child" 2>/dev/null
                exit 137
              fi
              sleep 1
            done
            wait "$child"
            """;

    private ParentWatchdog() {
    }

    /** The wrapped command line; {@code graceSeconds} is how long the child gets between SIGTERM and SIGKILL. */
    static List<String> wrap(List<String> command, Path pidFile, int graceSeconds) {
        return wrap(command, pidFile, graceSeconds, ProcessHandle.current().pid());
    }

    /** As {@link #wrap(List, Path, int)}, watching {@code parentPid} instead of this JVM. */
    static List<String> wrap(List<String> command, Path pidFile, int graceSeconds, long parentPid) {
        List<String> argv = new ArrayList<>(List.of("/bin/bash", "-c", SCRIPT, MARKER,
                Long.toString(parentPid), pidFile.toString(), Integer.toString(graceSeconds)));
        argv.addAll(command);
        return argv;
    }
}
