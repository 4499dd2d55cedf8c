package io.jinference.tck;

import io.jinference.api.EngineException;
import org.junit.jupiter.api.function.Executable;

/** Assertions the checks share; each failure message names what the engine did and what the contract wants. */
final class Expect {

    private Expect() {
    }

    static void isTrue(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    /** Runs {@code action} and requires it to fail with an {@link EngineException} of the given kind. */
    static EngineException engineException(EngineException.Kind kind, String action, Executable body) {
        try {
            body.execute();
        } catch (EngineException e) {
            isTrue(e.kind() == kind, action + " must throw EngineException " + kind + ", but threw " + e.kind()
                    + ": " + e.getMessage());
            isTrue(e.getMessage() != null && !e.getMessage().isBlank(), action + " threw " + kind
                    + " without a message a person could act on");
            return e;
        } catch (Throwable e) {
            throw new AssertionError(action + " must throw EngineException " + kind + ", but threw " + e, e);
        }
        throw new AssertionError(action + " must throw EngineException " + kind + ", but returned normally");
    }
}
