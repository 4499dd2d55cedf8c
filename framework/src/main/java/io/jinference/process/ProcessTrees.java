package io.jinference.process;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finding and killing a process together with its descendants (engine servers start helper processes). */
final class ProcessTrees {
    private ProcessTrees() {
    }

    /** Kills the process and all its descendants with SIGKILL; returns the pids that were alive. */
    static List<Long> killForcibly(long pid) {
        Optional<ProcessHandle> root = ProcessHandle.of(pid);
        if (root.isEmpty()) {
            return List.of();
        }
        List<ProcessHandle> tree = new ArrayList<>(root.get().descendants().toList());
        tree.add(0, root.get());
        tree.forEach(ProcessHandle::destroyForcibly);
        return tree.stream().map(ProcessHandle::pid).toList();
    }

    /** Sends SIGTERM to the process and its descendants. */
    static void terminate(ProcessHandle root) {
        root.descendants().forEach(ProcessHandle::destroy);
        root.destroy();
    }

    /** True when the pid is alive and started at exactly {@code epochMillis} (so the pid was not reused). */
    static boolean startedAt(long pid, long epochMillis) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
                .map(Instant::toEpochMilli).filter(start -> start == epochMillis).isPresent();
    }

    /** True when the pid is alive and started at or after {@code epochMillis}. */
    static boolean startedNotBefore(long pid, long epochMillis) {
        return ProcessHandle.of(pid).flatMap(handle -> handle.info().startInstant())
                .map(Instant::toEpochMilli).filter(start -> start >= epochMillis).isPresent();
    }
}
