package io.jinference.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pid file per running child under {@code <home>/run}: the wrapper's pid and start time (written by the
 * host), then the engine's pid (appended by the wrapper). A host that starts after a crash kills what the files
 * of the earlier run name, checking start times so that a reused pid is never hit.
 */
final class PidFiles {
    private static final Logger LOG = LoggerFactory.getLogger(PidFiles.class);

    private final Path dir;

    PidFiles(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + dir, e);
        }
    }

    Path fileFor(String name) {
        return dir.resolve(name + ".pid");
    }

    /**
     * Records the wrapper. It is appended because the wrapper may already have appended the engine's pid; the
     * caller clears the file with {@link #delete(String)} before it starts the wrapper.
     */
    void write(String name, ProcessHandle wrapper) {
        long started = wrapper.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        try {
            Files.writeString(fileFor(name), "wrapper=" + wrapper.pid() + " " + started + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write pid file for " + name, e);
        }
    }

    /** Records a helper process the engine started (vLLM's EngineCore, its workers), so a crash reaps it too. */
    void writeChild(String name, ProcessHandle child) {
        long started = child.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        try {
            Files.writeString(fileFor(name), "child=" + child.pid() + " " + started + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("Cannot record child {} of {}: {}", child.pid(), name, e.getMessage());
        }
    }

    /** The engine pid the wrapper appended, if it did already. */
    Optional<Long> enginePid(String name) {
        return readLines(fileFor(name)).stream().filter(line -> line.startsWith("engine="))
                .map(line -> Long.parseLong(line.substring("engine=".length()).trim())).findFirst();
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(fileFor(name));
        } catch (IOException e) {
            LOG.warn("Cannot delete pid file of {}: {}", name, e.getMessage());
        }
    }

    /** Kills every process named by a leftover pid file and deletes the files; returns the pids killed. */
    List<Long> reapLeftovers() {
        List<Long> killed = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pid")) {
            for (Path file : files) {
                killed.addAll(reap(file));
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read pid files in {}: {}", dir, e.getMessage());
        }
        return killed.stream().distinct().toList();
    }

    private List<Long> reap(Path file) {
        List<Long> killed = new ArrayList<>();
        List<String> lines = readLines(file);
        long wrapperStart = Long.MAX_VALUE;
        // The wrapper and helper lines first: their start times guard the engine pid against reuse too.
        for (String line : lines) {
            String[] parts = line.split("[= ]");
            if ((parts[0].equals("wrapper") || parts[0].equals("child")) && parts.length == 3
                    && parts[1].matches("\\d+") && parts[2].matches("\\d+")) {
                long pid = Long.parseLong(parts[1]);
                long started = Long.parseLong(parts[2]);
                if (parts[0].equals("wrapper")) {
                    wrapperStart = started;
                }
                if (ProcessTrees.startedAt(pid, started)) {
                    killed.addAll(ProcessTrees.killForcibly(pid));
                }
            }
        }
        for (String line : lines) {
            String[] parts = line.split("[= ]");
            if (parts[0].equals("engine") && parts.length == 2 && parts[1].matches("\\d+")
                    && ProcessTrees.startedNotBefore(Long.parseLong(parts[1]), wrapperStart)) {
                killed.addAll(ProcessTrees.killForcibly(Long.parseLong(parts[1])));
            }
        }
        if (!killed.isEmpty()) {
            LOG.warn("Killed leftover engine processes {} of an earlier run ({})", killed, file.getFileName());
        }
        return killed;
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return List.of();
        }
    }
}
