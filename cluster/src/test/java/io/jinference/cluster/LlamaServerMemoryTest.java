package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The GGUF estimate against what llama-server itself reports when it loads SmolLM2 ({@code model buffer size},
 * {@code KV buffer size}, {@code compute buffer size} and {@code output buffer size} in its log), at two context
 * sizes: each part and the total within 10 %. Needs {@code $JINFERENCE_LLAMA_SERVER} (skipped without it, failed on
 * CI) and the SmolLM2 GGUF of {@code scripts/fetch-smollm2.sh}.
 */
final class LlamaServerMemoryTest {
    private static final Pattern BUFFER = Pattern.compile(
            "(\\S+)\\s+(model|KV|compute|output) buffer size =\\s+([0-9.]+) MiB");
    private static final double MIB = 1024 * 1024;

    @ParameterizedTest
    @CsvSource({"SmolLM2-135M-Instruct.Q4_1.gguf, 512, 1", "SmolLM2-135M-Instruct.Q4_1.gguf, 4096, 4",
            "bench-llama-1.4b-random.Q4_1.gguf, 512, 1", "bench-llama-1.4b-random.Q4_1.gguf, 4096, 4"})
    void theEstimateMatchesLlamaServersOwnFigures(String file, int context, int parallel) throws Exception {
        Path server = llamaServer();
        Path model = model(file);
        MemoryEstimate estimate = MemoryEstimate.ofGguf(model, Map.of("n_ctx", context, "n_parallel", parallel));
        Map<String, Double> reported = reported(server, model, context * parallel, parallel);
        System.out.printf("%s n_ctx %d x %d: estimate weights %.1f, KV %.1f, compute %.1f, total %.1f MiB; "
                        + "llama-server %s%n", file, context, parallel, estimate.weightsBytes() / MIB,
                estimate.kvCacheBytes() / MIB, estimate.computeBytes() / MIB, estimate.totalBytes() / MIB, reported);
        double weights = reported.getOrDefault("model", 0.0);
        double kv = reported.getOrDefault("KV", 0.0);
        double compute = reported.getOrDefault("compute", 0.0) + reported.getOrDefault("output", 0.0);
        assertThat(estimate.weightsBytes() / MIB).isCloseTo(weights, withinTenPercent(weights));
        assertThat(estimate.kvCacheBytes() / MIB).isCloseTo(kv, withinTenPercent(kv));
        double total = weights + kv + compute;
        assertThat(estimate.totalBytes() / MIB).isCloseTo(total, withinTenPercent(total));
    }

    private static org.assertj.core.data.Offset<Double> withinTenPercent(double value) {
        return org.assertj.core.data.Offset.offset(value * 0.10);
    }

    /** The buffer sizes llama-server logs while it loads, by kind (summed over devices), in MiB. */
    private static Map<String, Double> reported(Path server, Path model, int totalContext, int parallel)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process process = new ProcessBuilder(List.of(server.toString(), "--model", model.toString(), "--host",
                "127.0.0.1", "--port", Integer.toString(port), "--ctx-size", Integer.toString(totalContext),
                "--parallel", Integer.toString(parallel), "--threads", "1", "--log-verbosity", "4"))
                .redirectErrorStream(true).start();
        Map<String, Double> sizes = new java.util.TreeMap<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                log.append(line).append('\n');
                Matcher matcher = BUFFER.matcher(line);
                if (matcher.find()) {
                    // a compute buffer reserved again replaces the first; the other buffers add up over devices
                    sizes.merge(matcher.group(2), Double.parseDouble(matcher.group(3)),
                            matcher.group(2).equals("compute") ? Math::max : Double::sum);
                }
                if (line.contains("server is listening") || line.contains("model loaded")) {
                    break;
                }
            }
        } finally {
            process.destroyForcibly();
            process.waitFor();
        }
        if (!sizes.containsKey("model") || !sizes.containsKey("KV")) {
            fail("llama-server logged no buffer sizes:\n" + log);
        }
        return sizes;
    }

    private static Path llamaServer() {
        String configured = System.getProperty("jinference.test.llamaServer", "");
        Path binary = configured.isBlank() || configured.startsWith("${") ? null : Path.of(configured);
        if (binary == null || !Files.isExecutable(binary)) {
            String why = "JINFERENCE_LLAMA_SERVER must name an executable llama-server; it is '" + configured + "'";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
        return binary;
    }

    /**
     * SmolLM2 from {@code scripts/fetch-smollm2.sh} (required), or the 1.4B llama GGUF the benchmarks make (skipped
     * where it was not made).
     */
    private static Path model(String file) {
        String configured = file.startsWith("SmolLM2") ? System.getenv("JINFERENCE_SMOLLM2") : null;
        Path path = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache/jinference/models", file);
        if (!file.startsWith("SmolLM2")) {
            assumeTrue(Files.isRegularFile(path), path + " is missing (the benchmarks make it)");
        } else if (!Files.isRegularFile(path)) {
            throw new UncheckedIOException(new IOException("SmolLM2 GGUF missing at " + path
                    + ": run scripts/fetch-smollm2.sh (or set JINFERENCE_SMOLLM2)"));
        }
        return path;
    }
}
