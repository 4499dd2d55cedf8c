package io.jinference.runtime;

/** Lifecycle of a launched model. */
public enum ModelState {
    /** The engine is loading the model; requests get 503. */
    LAUNCHING,
    /** Loaded and serving. */
    READY,
    /** The load failed (kept for a model launched without waiting, so that its failure can be read). */
    FAILED,
    /** Being unloaded; requests get 503. */
    TERMINATING
}
