package io.jinference.tck;

import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.SamplingParams;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.opentest4j.TestAbortedException;

/**
 * Chat or completion: results in the shape OpenAI reports (text streamed as whole-character deltas, a finish reason,
 * usage), stop sequences, max tokens, cancellation and concurrent requests. Greedy sampling with a fixed seed makes
 * two runs of one prompt comparable.
 */
final class GenerationChecks {

    private static final String PROMPT = "Once upon a time";
    private static final String LONG_PROMPT = "Once upon a time, in a village by the sea, there lived an old"
            + " fisherman who told the children stories about the stars every evening";
    private static final int MAX_TOKENS = 16;

    private final Ability ability;
    private final ModelUnderTest model;

    private GenerationChecks(Ability ability, ModelUnderTest model) {
        this.ability = ability;
        this.model = model;
    }

    static List<Check> of(Ability ability, ModelUnderTest model) {
        GenerationChecks checks = new GenerationChecks(ability, model);
        String kind = ability.capabilityName();
        return List.of(
                new Check(kind + " streams text and reports finish reason and usage", checks::shape),
                new Check(kind + " stops at max_tokens with finish reason LENGTH", checks::maxTokens),
                new Check(kind + " honours a stop sequence", checks::stopSequence),
                new Check(kind + " counts more prompt tokens for a longer prompt", checks::promptUsage),
                new Check(kind + " ends a cancelled request early and then serves the next", checks::cancellation),
                new Check(kind + " serves two concurrent requests", checks::concurrency));
    }

    private void shape() {
        Run run = generate(PROMPT, greedy(MAX_TOKENS, List.of()), RecordingSink.collecting());
        Generation generation = run.generation();
        Expect.isTrue(generation.finishReason() == FinishReason.STOP || generation.finishReason() == FinishReason.LENGTH,
                "A finished request must end with STOP or LENGTH, got " + generation.finishReason());
        int completion = generation.usage().completionTokens();
        Expect.isTrue(generation.usage().promptTokens() > 0, "usage.prompt_tokens must be positive, got "
                + generation.usage().promptTokens());
        Expect.isTrue(completion >= 0 && completion <= MAX_TOKENS, "usage.completion_tokens must be within [0, "
                + MAX_TOKENS + "], got " + completion);
        Expect.isTrue(completion == 0 || !run.text().isEmpty(), completion + " completion tokens produced no text");
        Expect.isTrue(run.sink().deltas().size() <= Math.max(completion, 1), "Streamed " + run.sink().deltas().size()
                + " deltas for " + completion + " tokens; a delta carries at least one token");
        for (String delta : run.sink().deltas()) {
            Expect.isTrue(delta != null && !delta.isEmpty(), "A streamed delta is null or empty");
            Expect.isTrue(!Character.isHighSurrogate(delta.charAt(delta.length() - 1))
                    && !Character.isLowSurrogate(delta.charAt(0)), "A delta splits a character: '" + delta + "'");
        }
    }

    private void maxTokens() {
        int limit = 3;
        Generation generation = generate(PROMPT, greedy(limit, List.of()), RecordingSink.collecting()).generation();
        int completion = generation.usage().completionTokens();
        Expect.isTrue(completion <= limit, "max_tokens=" + limit + " produced " + completion + " tokens");
        FinishReason expected = completion == limit ? FinishReason.LENGTH : FinishReason.STOP;
        Expect.isTrue(generation.finishReason() == expected, "After " + completion + " of max " + limit
                + " tokens the finish reason must be " + expected + ", got " + generation.finishReason());
    }

    private void stopSequence() {
        String reference = generate(PROMPT, greedy(MAX_TOKENS, List.of()), RecordingSink.collecting()).text();
        if (reference.strip().length() < 2) {
            throw new TestAbortedException("The model's greedy answer '" + reference + "' is too short to pick a "
                    + "stop sequence from");
        }
        String stop = reference.substring(reference.length() / 2, reference.length() / 2 + 1);
        String expected = reference.substring(0, reference.indexOf(stop));
        Run run = generate(PROMPT, greedy(MAX_TOKENS, List.of(stop)), RecordingSink.collecting());
        Expect.isTrue(run.text().equals(expected), "With stop=['" + stop + "'] the text must be the greedy answer "
                + "up to the stop sequence, '" + expected + "', but was '" + run.text() + "' (greedy answer '"
                + reference + "')");
        Expect.isTrue(run.generation().finishReason() == FinishReason.STOP, "A stop sequence must end with finish "
                + "reason STOP, got " + run.generation().finishReason());
    }

    private void promptUsage() {
        int shortPrompt = generate(PROMPT, greedy(1, List.of()), RecordingSink.collecting())
                .generation().usage().promptTokens();
        int longPrompt = generate(LONG_PROMPT, greedy(1, List.of()), RecordingSink.collecting())
                .generation().usage().promptTokens();
        Expect.isTrue(longPrompt > shortPrompt, "usage.prompt_tokens must grow with the prompt: " + shortPrompt
                + " for '" + PROMPT + "', " + longPrompt + " for a prompt " + LONG_PROMPT.length() + " chars long");
    }

    private void cancellation() {
        int limit = 64;
        for (int attempt = 0; attempt < 3; attempt++) {
            Run run = generate(PROMPT, greedy(limit, List.of()), RecordingSink.cancellingAfter(1));
            if (run.sink().deltas().isEmpty()) {
                throw new TestAbortedException("The model produced no text to cancel after");
            }
            Generation generation = run.generation();
            Expect.isTrue(generation.finishReason() == FinishReason.CANCELLED || generation.finishReason()
                    == FinishReason.STOP, "A request cancelled after its first delta must end with CANCELLED (or "
                    + "STOP when the model ended first), got " + generation.finishReason());
            Expect.isTrue(generation.usage().completionTokens() < limit, "A request cancelled after its first delta "
                    + "still generated all " + limit + " tokens");
        }
        Generation next = generate(PROMPT, greedy(4, List.of()), RecordingSink.collecting()).generation();
        Expect.isTrue(next.finishReason() != FinishReason.CANCELLED, "The request after three cancelled ones was "
                + "reported CANCELLED; cancelled requests must free their slot");
    }

    private void concurrency() throws Exception {
        var first = CompletableFuture.supplyAsync(() -> generate(PROMPT, greedy(8, List.of()), RecordingSink.collecting()));
        var second = CompletableFuture.supplyAsync(() -> generate(LONG_PROMPT, greedy(8, List.of()), RecordingSink.collecting()));
        for (var future : List.of(first, second)) {
            Generation generation = future.get(5, TimeUnit.MINUTES).generation();
            Expect.isTrue(generation.finishReason() != FinishReason.CANCELLED, "A concurrent request was CANCELLED");
        }
    }

    private Run generate(String prompt, SamplingParams sampling, RecordingSink sink) {
        Generation generation = ability.generate(model.get(), prompt, sampling, sink);
        sink.engineReturned();
        Expect.isTrue(generation != null, ability.capabilityName() + " returned no Generation");
        Expect.isTrue(generation.finishReason() != null, ability.capabilityName() + " returned no finish reason");
        Expect.isTrue(generation.usage() != null, ability.capabilityName() + " returned no usage");
        Expect.isTrue(sink.deltasAfterReturn() == 0, ability.capabilityName() + " streamed "
                + sink.deltasAfterReturn() + " deltas after it returned");
        return new Run(generation, sink);
    }

    private static SamplingParams greedy(int maxTokens, List<String> stop) {
        return new SamplingParams(maxTokens, 0.0, 1.0, 1, 42L, stop, null, Map.of());
    }

    private record Run(Generation generation, RecordingSink sink) {
        String text() {
            return sink.text();
        }
    }
}
