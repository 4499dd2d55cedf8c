package io.jinference.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark run compares: the model, the resources both servers get (threads, context, slots) and the
 * workload's size. Both servers get exactly the same model file, threads, context and slots.
 */
record BenchOptions(
        Path model,
        Path jinf,
        Path python,
        Path nativeServerScript,
        int threads,
        int contextSize,
        int parallelSlots,
        int decodeTokens,
        int prefillWords,
        int concurrentStreams,
        int runs,
        Path workDirectory) {

    static final String USAGE = """
            usage: LlamaCppBench --model FILE.gguf --jinf PATH/bin/jinf --python VENV/bin/python \
            --native-server bench/xllamacpp_server.py [--threads 1] [--ctx 4096] [--parallel 8] \
            [--decode-tokens 128] [--prefill-words 250] [--streams 8] [--runs 3] [--work DIR]""";

    BenchOptions {
        requireFile(model, "--model");
        requireFile(jinf, "--jinf");
        requireFile(python, "--python");
        requireFile(nativeServerScript, "--native-server");
        if (threads < 1 || contextSize < 64 || parallelSlots < 1 || decodeTokens < 2 || prefillWords < 1
                || concurrentStreams < 1 || runs < 1) {
            throw new IllegalArgumentException("every count must be positive (decode-tokens at least 2)\n" + USAGE);
        }
        if (concurrentStreams > parallelSlots) {
            throw new IllegalArgumentException("--streams " + concurrentStreams + " exceeds --parallel "
                    + parallelSlots + ": the extra streams would queue instead of being batched");
        }
    }

    static BenchOptions parse(String[] args) {
        Map<String, String> given = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'\n" + USAGE);
            }
            given.put(args[i].substring(2), args[i + 1]);
        }
        BenchOptions options = new BenchOptions(
                path(given, "model"), path(given, "jinf"), path(given, "python"), path(given, "native-server"),
                number(given, "threads", 1), number(given, "ctx", 4096), number(given, "parallel", 8),
                number(given, "decode-tokens", 128), number(given, "prefill-words", 250),
                number(given, "streams", 8), number(given, "runs", 3),
                Path.of(given.getOrDefault("work", System.getProperty("java.io.tmpdir"))));
        given.keySet().removeAll(List.of("model", "jinf", "python", "native-server", "threads", "ctx",
                "parallel", "decode-tokens", "prefill-words", "streams", "runs", "work"));
        if (!given.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + given.keySet() + "\n" + USAGE);
        }
        return options;
    }

    private static Path path(Map<String, String> given, String name) {
        String value = given.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required\n" + USAGE);
        }
        return Path.of(value);
    }

    private static int number(Map<String, String> given, String name, int fallback) {
        String value = given.get(name);
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, got '" + value + "'");
        }
    }

    private static void requireFile(Path file, String option) {
        if (file == null || !Files.isRegularFile(file)) {
            throw new IllegalArgumentException(option + " names no file: " + file + "\n" + USAGE);
        }
    }
}
