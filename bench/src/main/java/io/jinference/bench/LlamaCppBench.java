package io.jinference.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compares Jinference's llama.cpp engine with llama.cpp's own server on the same GGUF, threads, context and slots,
 * both through the OpenAI chat API with streaming: prefill rate, time to first token, single-stream decode rate and
 * the aggregate decode rate of concurrent streams. Both servers run at once and the rounds alternate between them,
 * so that a change in the machine's background load hits both alike. Run it through scripts/bench-llamacpp.sh.
 */
public final class LlamaCppBench {

    private LlamaCppBench() {
    }

    public static void main(String[] args) {
        // llama.cpp's HTTP server drops a keep-alive connection after 5 idle seconds, and between rounds a pooled
        // connection idles while the other server is measured; reusing it then fails with "received no bytes".
        // Closing pooled connections after one idle second treats both servers alike and avoids that race.
        System.setProperty("jdk.httpclient.keepalive.timeout", "1");
        try {
            run(BenchOptions.parse(args));
            System.exit(0);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IOException | RuntimeException e) {
            System.err.println("benchmark failed: " + e.getMessage());
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(130);
        }
    }

    private static void run(BenchOptions options) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
        Rounds rounds = new Rounds(new ChatStreams(http), options);
        log("starting the native llama.cpp server");
        try (Target nativeServer = Targets.startNative(options, http)) {
            log("starting Jinference and launching the model");
            try (Target jinference = Targets.startJinference(options, http)) {
                rounds.warmUp(nativeServer);
                rounds.warmUp(jinference);
                List<RoundFigures> nativeRounds = new ArrayList<>();
                List<RoundFigures> jinferenceRounds = new ArrayList<>();
                for (int round = 1; round <= options.runs(); round++) {
                    nativeRounds.add(rounds.measure(nativeServer, round));
                    jinferenceRounds.add(rounds.measure(jinference, round));
                    log(String.format(Locale.ROOT, "round %d/%d done", round, options.runs()));
                }
                log("single-stream decode tokens/s per round: native " + Report.perRound(nativeRounds)
                        + ", Jinference " + Report.perRound(jinferenceRounds));
                new Report(options, nativeServer, jinference).print(nativeRounds, jinferenceRounds, System.out);
            }
        }
    }

    private static void log(String message) {
        System.err.println("[bench] " + message);
    }
}
