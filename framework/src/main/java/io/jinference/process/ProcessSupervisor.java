package io.jinference.process;

import io.jinference.api.EngineException;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ProcessLauncher;
import io.jinference.api.process.ProcessSpec;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Owns every engine child process of this host. At construction it kills leftovers of an earlier run (pid files
 * under {@code <home>/run}); {@link #close()} stops all children. Logs go to {@code <home>/logs/<name>/engine.log}.
 */
public final class ProcessSupervisor implements ProcessLauncher, AutoCloseable {
    private static final long LOG_BYTES = 10L * 1024 * 1024;
    private static final int LOG_FILES_KEPT = 3;

    private final Path logsRoot;
    private final PidFiles pidFiles;
    private final Duration stopGrace;
    private final ReadinessProbe probe;
    private final ScheduledExecutorService scheduler;
    private final Map<String, SupervisedProcess> children = new ConcurrentHashMap<>();
    private final List<Long> reaped;

    /** A supervisor whose children get {@code stopGrace} between SIGTERM and SIGKILL. */
    public ProcessSupervisor(Path home, Duration stopGrace) {
        this.logsRoot = home.resolve("logs");
        this.pidFiles = new PidFiles(home.resolve("run"));
        this.stopGrace = stopGrace;
        this.reaped = pidFiles.reapLeftovers();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        this.probe = new ReadinessProbe(http, Duration.ofSeconds(5));
        this.scheduler = Executors.newScheduledThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "jinf-process-supervisor");
            thread.setDaemon(true);
            return thread;
        });
    }

    public ProcessSupervisor(Path home) {
        this(home, Duration.ofSeconds(10));
    }

    /** The pids of an earlier run's children that this supervisor killed when it started. */
    public List<Long> reapedAtStart() {
        return reaped;
    }

    @Override
    public synchronized ManagedProcess start(ProcessSpec spec) {
        SupervisedProcess previous = children.get(spec.name());
        if (previous != null && previous.state() != ManagedProcess.State.STOPPED) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "A process named " + spec.name() + " is running");
        }
        SupervisedProcess process = new SupervisedProcess(spec, new LogPump(logsRoot.resolve(spec.name()), LOG_BYTES,
                LOG_FILES_KEPT), pidFiles, probe, scheduler, stopGrace);
        children.put(spec.name(), process);
        process.start();
        return process;
    }

    /** Every child started and not yet stopped. */
    public List<ManagedProcess> children() {
        return children.values().stream().filter(child -> child.state() != ManagedProcess.State.STOPPED)
                .map(ManagedProcess.class::cast).toList();
    }

    /** Stops every child (in parallel, each SIGTERM then SIGKILL after the grace period). */
    @Override
    public void close() {
        List<Thread> stoppers = new ArrayList<>();
        for (SupervisedProcess child : children.values()) {
            Thread stopper = new Thread(child::close, "jinf-stop-" + child.name());
            stopper.start();
            stoppers.add(stopper);
        }
        for (Thread stopper : stoppers) {
            try {
                stopper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        children.clear();
        scheduler.shutdownNow();
    }
}
