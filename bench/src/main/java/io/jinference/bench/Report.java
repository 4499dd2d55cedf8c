package io.jinference.bench;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Prints the medians of the rounds as a Markdown table: baseline (native) next to candidate (Jinference). */
final class Report {
    private final BenchOptions options;
    private final Target baseline;
    private final Target candidate;

    Report(BenchOptions options, Target baseline, Target candidate) {
        this.options = options;
        this.baseline = baseline;
        this.candidate = candidate;
    }

    void print(List<RoundFigures> baselineRounds, List<RoundFigures> candidateRounds, PrintStream out) {
        out.printf(Locale.ROOT, "%n%s, %d threads, context %d, %d slots; median of %d rounds%n%n",
                options.model().getFileName(), options.threads(), options.contextSize(), options.parallelSlots(),
                options.runs());
        out.printf("| metric | %s | %s | %s / %s |%n", baseline.label(), candidate.label(), candidate.label(),
                baseline.label());
        out.println("|---|---:|---:|---:|");
        row(out, "prefill tokens/s (" + Math.round(median(baselineRounds, RoundFigures::prefillPromptTokens))
                        + "-token prompt, max_tokens 1)", baselineRounds, candidateRounds,
                RoundFigures::prefillTokensPerSecond);
        row(out, "time to first token, ms (short prompt; lower is better)", baselineRounds, candidateRounds,
                RoundFigures::timeToFirstTokenMillis);
        row(out, "decode tokens/s, 1 stream (" + options.decodeTokens() + " tokens asked)", baselineRounds,
                candidateRounds, RoundFigures::singleDecodePerSecond);
        row(out, "decode tokens/s, " + options.concurrentStreams() + " concurrent streams, aggregate",
                baselineRounds, candidateRounds, RoundFigures::concurrentPerSecond);
        out.println();
        note(out, baseline, baselineRounds);
        note(out, candidate, candidateRounds);
    }

    private static void row(PrintStream out, String metric, List<RoundFigures> baselineRounds,
                            List<RoundFigures> candidateRounds, ToDoubleFunction<RoundFigures> figure) {
        double base = median(baselineRounds, figure);
        double cand = median(candidateRounds, figure);
        out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2f× |%n", metric, base, cand, cand / base);
    }

    private static void note(PrintStream out, Target target, List<RoundFigures> rounds) {
        boolean usage = rounds.stream().allMatch(RoundFigures::usageReported);
        out.printf(Locale.ROOT, "- %s: %s; tokens per single stream (median) %.0f, per concurrent round %.0f; "
                        + "token counts %s%n", target.label(), target.description(),
                median(rounds, RoundFigures::singleTokens), median(rounds, RoundFigures::concurrentTokens),
                usage ? "from the streamed usage" : "from counted content chunks (no usage in the stream)");
    }

    static double median(List<RoundFigures> rounds, ToDoubleFunction<RoundFigures> figure) {
        double[] values = rounds.stream().mapToDouble(figure).sorted().toArray();
        int middle = values.length / 2;
        return values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
    }

    static String perRound(List<RoundFigures> rounds) {
        return Arrays.toString(rounds.stream().mapToDouble(RoundFigures::singleDecodePerSecond)
                .map(value -> Math.round(value * 10) / 10.0).toArray());
    }
}
