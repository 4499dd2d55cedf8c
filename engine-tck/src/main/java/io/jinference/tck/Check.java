package io.jinference.tck;

import org.junit.jupiter.api.function.Executable;

/**
 * One named conformance check. Its body throws an {@link AssertionError} (with a message saying what the engine
 * did wrong) when the engine fails it, or an {@link org.opentest4j.TestAbortedException} when it cannot apply.
 */
public record Check(String name, Executable body) {
}
