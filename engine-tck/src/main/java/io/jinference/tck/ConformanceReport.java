package io.jinference.tck;

import java.util.List;
import java.util.stream.Collectors;

/** The outcome of every check of a conformance run. */
public record ConformanceReport(String engine, List<Outcome> outcomes) {

    public enum Status { PASSED, FAILED, SKIPPED }

    /** One check's outcome; {@code message} says why it failed or was skipped, null when it passed. */
    public record Outcome(String check, Status status, String message) {
        @Override
        public String toString() {
            return status + "  " + check + (message == null ? "" : " — " + message);
        }
    }

    public ConformanceReport {
        outcomes = List.copyOf(outcomes);
    }

    public List<Outcome> failures() {
        return outcomes.stream().filter(outcome -> outcome.status() == Status.FAILED).toList();
    }

    public long count(Status status) {
        return outcomes.stream().filter(outcome -> outcome.status() == status).count();
    }

    /** Throws one {@link AssertionError} listing every failed check; returns quietly when none failed. */
    public void assertConforms() {
        if (!failures().isEmpty()) {
            throw new AssertionError("Engine " + engine + " fails " + failures().size() + " conformance check(s):\n"
                    + failures().stream().map(Outcome::toString).collect(Collectors.joining("\n")));
        }
    }

    @Override
    public String toString() {
        return "Conformance of " + engine + ": " + count(Status.PASSED) + " passed, " + count(Status.FAILED)
                + " failed, " + count(Status.SKIPPED) + " skipped\n"
                + outcomes.stream().map(Outcome::toString).collect(Collectors.joining("\n"));
    }
}
