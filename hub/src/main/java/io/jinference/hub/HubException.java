package io.jinference.hub;

import io.jinference.runtime.LaunchException;

/**
 * A model that cannot be had from its hub as asked, with a reason a person can act on (a repository or file the hub
 * does not have, a gated repository without a token, offline mode with a cold cache, a checksum that does not match,
 * too little disk). A launch answers it as a client error.
 */
public class HubException extends LaunchException {
    private static final long serialVersionUID = 1L;

    public HubException(String message) {
        super(message);
    }
}
