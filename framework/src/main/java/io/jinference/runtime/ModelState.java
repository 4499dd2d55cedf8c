package io.jinference.runtime;

/** Lifecycle of a launched model. */
public enum ModelState {
    /** The engine is loading the model; requests get 503. */
    LAUNCHING,
    /** Loaded and serving. */
    READY,
    /** The load failed (kept for a model launched without waiting, so that its failure can be read). */
    FAILED,
    /** Its engine bundle is stopping (stop, update, removal): requests in flight finish, new ones get 503. */
    DRAINING,
    /** Unloaded after its engine bundle stopped; relaunched when the bundle starts again; requests get 503. */
    AWAITING_ENGINE,
    /** Being unloaded; requests get 503. */
    TERMINATING
}
