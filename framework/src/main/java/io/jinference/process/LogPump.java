package io.jinference.process;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Copies a child's output, line by line, to a log file that rotates by size ({@code engine.log}, then
 * {@code engine.log.1} … {@code engine.log.<keep>}) and keeps the last lines in memory for failure reports.
 * One pump serves every generation of a supervised process; each generation gets its own named reader thread.
 */
final class LogPump {
    private static final int KEPT_LINES = 200;

    private final Path file;
    private final long maxBytes;
    private final int keep;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private Writer writer;
    private long written;

    LogPump(Path dir, long maxBytes, int keep) {
        this.file = dir.resolve("engine.log");
        this.maxBytes = maxBytes;
        this.keep = keep;
        try {
            Files.createDirectories(dir);
            written = Files.exists(file) ? Files.size(file) : 0;
            writer = open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open log file " + file, e);
        }
    }

    Path file() {
        return file;
    }

    /** Starts a daemon thread that copies {@code stream} until it ends. */
    Thread pump(InputStream stream, String threadName) {
        Thread thread = new Thread(() -> copy(stream), threadName);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    synchronized void line(String line) {
        lastLines.addLast(line);
        if (lastLines.size() > KEPT_LINES) {
            lastLines.removeFirst();
        }
        try {
            if (written > maxBytes) {
                rotate();
            }
            writer.write(line);
            writer.write('\n');
            writer.flush();
            written += line.length() + 1;
        } catch (IOException e) {
            // The in-memory lines still serve failure reports; a full disk must not stop the child.
        }
    }

    synchronized List<String> lastLines(int count) {
        List<String> all = new ArrayList<>(lastLines);
        return List.copyOf(all.subList(Math.max(0, all.size() - count), all.size()));
    }

    synchronized void close() {
        try {
            writer.close();
        } catch (IOException e) {
            // nothing left to flush to
        }
    }

    private void copy(InputStream stream) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                line(line);
            }
        } catch (IOException e) {
            // the child closed its output: the pump ends with it
        }
    }

    private void rotate() throws IOException {
        writer.close();
        for (int i = keep - 1; i >= 1; i--) {
            Path older = rotated(i);
            if (Files.exists(older)) {
                Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        written = 0;
        writer = open();
    }

    private Path rotated(int index) {
        return file.resolveSibling(file.getFileName() + "." + index);
    }

    private Writer open() throws IOException {
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
