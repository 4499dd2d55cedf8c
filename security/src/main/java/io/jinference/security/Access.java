package io.jinference.security;

/** Who may call a route when the server has API keys. */
public enum Access {
    /** Anyone, without a key: the health route and the API description. */
    PUBLIC,
    /** Any valid key: read-only routes that reveal nothing about a model a key may not use. */
    ANY_KEY,
    /** A user key allowed this model (named by a path parameter or the JSON body), or an admin key. */
    MODEL,
    /** Launch and terminate: admin, or a user key allowed the model when the server lets users launch. */
    LAUNCH,
    /** Admin keys only: engine bundles, registrations, runtimes, the host's files. */
    ADMIN
}
