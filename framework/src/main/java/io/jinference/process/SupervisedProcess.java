package io.jinference.process;

import io.jinference.api.EngineException;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ProcessSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised child across its generations. Each start bumps the generation; every event (exit, readiness,
 * failed health check) carries the generation it belongs to, and events of an older generation are ignored.
 * A child that dies after it had been ready once is restarted by the {@link RestartPolicy}; a child that never
 * became ready fails its load instead (DJL Serving's rule: a failure while loading is not retried).
 */
final class SupervisedProcess implements ManagedProcess {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedProcess.class);
    private static final int FAILURE_LINES = 20;
    private static final int FAILED_CHECKS_FOR_DEATH = 3;

    private final ProcessSpec spec;
    private final RestartPolicy restartPolicy;
    private final LogPump logs;
    private final PidFiles pidFiles;
    private final ReadinessProbe probe;
    private final ScheduledExecutorService scheduler;
    private final Duration stopGrace;

    private State state = State.STARTING;
    private int generation;
    private int restarts;
    private boolean everReady;
    private String failure;
    private Process wrapper;
    private CompletableFuture<Void> ready = new CompletableFuture<>();
    private ScheduledFuture<?> liveness;
    private int failedChecks;
    /**
     * Every process the current generation's engine started, remembered while they are its descendants: when the
     * engine itself is killed hard its helpers (vLLM's EngineCore and workers) are reparented to init and would no
     * longer be found below the wrapper.
     */
    private final Set<ProcessHandle> tree = ConcurrentHashMap.newKeySet();

    SupervisedProcess(ProcessSpec spec, LogPump logs, PidFiles pidFiles, ReadinessProbe probe,
            ScheduledExecutorService scheduler, Duration stopGrace) {
        this.spec = spec;
        this.restartPolicy = new RestartPolicy(spec.maxRestarts(), spec.restartBackoff(), Duration.ofMinutes(1));
        this.logs = logs;
        this.pidFiles = pidFiles;
        this.probe = probe;
        this.scheduler = scheduler;
        this.stopGrace = stopGrace;
    }

    /** Starts the next generation. */
    synchronized void start() {
        if (state == State.STOPPED && generation > 0) {
            return;
        }
        generation++;
        state = State.STARTING;
        failedChecks = 0;
        tree.clear();
        if (ready.isDone()) {
            ready = new CompletableFuture<>();
        }
        int gen = generation;
        List<String> argv = ParentWatchdog.wrap(spec.command(), pidFiles.fileFor(spec.name()),
                (int) Math.max(1, stopGrace.toSeconds()));
        ProcessBuilder builder = new ProcessBuilder(argv).directory(spec.workDir().toFile()).redirectErrorStream(true);
        builder.environment().putAll(spec.environment());
        logs.line("=== jinference: starting generation " + gen + ": " + String.join(" ", spec.command()));
        pidFiles.delete(spec.name());
        try {
            wrapper = builder.start();
        } catch (IOException e) {
            died(gen, "could not be started: " + e.getMessage());
            return;
        }
        pidFiles.write(spec.name(), wrapper.toHandle());
        logs.pump(wrapper.getInputStream(), "jinf-" + spec.name() + "-g" + gen + "-out");
        Process started = wrapper;
        started.onExit().thenAccept(exited -> died(gen, "exited with code " + exited.exitValue()));
        Instant deadline = Instant.now().plus(spec.startupTimeout());
        Thread readiness = new Thread(() -> awaitReadiness(gen, started, deadline), "jinf-" + spec.name() + "-g" + gen + "-ready");
        readiness.setDaemon(true);
        readiness.start();
    }

    @Override
    public String name() {
        return spec.name();
    }

    @Override
    public synchronized State state() {
        return state;
    }

    @Override
    public synchronized int generation() {
        return generation;
    }

    @Override
    public synchronized long pid() {
        if (wrapper == null || !wrapper.isAlive()) {
            return -1;
        }
        return pidFiles.enginePid(spec.name()).orElse(-1L);
    }

    @Override
    public synchronized String failure() {
        return failure;
    }

    @Override
    public List<String> lastLogLines(int count) {
        return logs.lastLines(count);
    }

    @Override
    public Path logFile() {
        return logs.file();
    }

    @Override
    public void awaitReady() {
        CompletableFuture<Void> current;
        synchronized (this) {
            current = ready;
        }
        try {
            current.get(spec.startupTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new EngineException(EngineException.Kind.LOAD_FAILED, spec.name() + " did not become ready");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EngineException(EngineException.Kind.LOAD_FAILED, "Interrupted while waiting for " + spec.name());
        }
    }

    @Override
    public void close() {
        Process current;
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
            cancelLiveness();
            ready.completeExceptionally(new IllegalStateException(spec.name() + " was stopped"));
            current = wrapper;
        }
        if (current != null) {
            stopTree(current);
        }
        pidFiles.delete(spec.name());
        logs.line("=== jinference: stopped");
        logs.close();
    }

    private void awaitReadiness(int gen, Process process, Instant deadline) {
        try {
            ReadinessProbe.Outcome outcome = probe.await(spec.healthUrl(), deadline, process::isAlive);
            switch (outcome) {
                case READY -> becameReady(gen);
                case TIMED_OUT -> died(gen, "did not become ready within " + spec.startupTimeout().toSeconds()
                        + " s (" + spec.healthUrl() + ")");
                case DIED -> {
                    // the exit handler reports the exit code
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void becameReady(int gen) {
        if (gen != generation || state != State.STARTING) {
            return;
        }
        state = State.READY;
        everReady = true;
        logs.line("=== jinference: generation " + gen + " is ready");
        rememberTree(wrapper);
        ready.complete(null);
        long interval = spec.livenessInterval().toMillis();
        liveness = scheduler.scheduleWithFixedDelay(() -> checkAlive(gen), interval, interval, TimeUnit.MILLISECONDS);
    }

    private void checkAlive(int gen) {
        Optional<String> problem;
        try {
            problem = probe.check(spec.healthUrl());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            if (gen != generation || state != State.READY) {
                return;
            }
            failedChecks = problem.isPresent() ? failedChecks + 1 : 0;
            rememberTree(wrapper);
        }
        if (problem.isPresent() && failedChecks >= FAILED_CHECKS_FOR_DEATH) {
            died(gen, "failed " + FAILED_CHECKS_FOR_DEATH + " health checks in a row: " + problem.get());
        }
    }

    /** The child of generation {@code gen} exited or stopped serving: mark it failed, kill it, maybe restart. */
    private void died(int gen, String why) {
        Process dead;
        Duration restartDelay = null;
        synchronized (this) {
            if (gen != generation || state == State.STOPPED || state == State.FAILED) {
                return;
            }
            state = State.FAILED;
            cancelLiveness();
            List<String> tail = logs.lastLines(FAILURE_LINES);
            failure = spec.name() + " " + why + (tail.isEmpty() ? "" : ". Last log lines:\n" + String.join("\n", tail));
            ready.completeExceptionally(new IllegalStateException(failure));
            dead = wrapper;
            if (everReady && restartPolicy.allows(restarts)) {
                restarts++;
                restartDelay = restartPolicy.delayBefore(restarts);
            }
        }
        LOG.warn("Engine process {}", failure);
        logs.line("=== jinference: generation " + gen + " " + why);
        if (dead != null) {
            stopTree(dead);
        }
        if (restartDelay != null) {
            logs.line("=== jinference: restarting in " + restartDelay.toMillis() + " ms (restart " + restarts + " of "
                    + restartPolicy.maxRestarts() + ")");
            scheduler.schedule(this::start, restartDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void rememberTree(Process process) {
        process.toHandle().descendants()
                .filter(handle -> !handle.info().command().orElse("").endsWith("/sleep"))
                .filter(tree::add)
                .forEach(handle -> pidFiles.writeChild(spec.name(), handle));
    }

    private void cancelLiveness() {
        if (liveness != null) {
            liveness.cancel(false);
            liveness = null;
        }
    }

    /** SIGTERM to the wrapper (which forwards it) and to the engine tree; SIGKILL to all that remain after the grace. */
    private void stopTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>(process.toHandle().descendants().toList());
        tree.addAll(this.tree);
        tree.forEach(ProcessHandle::destroy);
        ProcessTrees.terminate(process.toHandle());
        try {
            if (!process.waitFor(stopGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
            for (ProcessHandle handle : tree) {
                handle.onExit().get(Math.max(1, stopGrace.toMillis() / 2), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            tree.forEach(ProcessHandle::destroyForcibly);
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }
}
