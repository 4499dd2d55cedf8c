package io.jinference.launcher.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The generation requests in flight that a client named with {@code request_id} (as xinference-client does through
 * its generate config), so that {@code POST /v1/models/{uid}/requests/{id}/abort} can end them.
 */
final class AbortableRequests {
    private final Map<String, ClientConnection> inFlight = new ConcurrentHashMap<>();

    /** Registers the request while it runs; a null id registers nothing. */
    Registration register(String uid, String requestId, ClientConnection client) {
        if (requestId == null) {
            return () -> { };
        }
        String key = key(uid, requestId);
        if (inFlight.putIfAbsent(key, client) != null) {
            throw ApiError.badParameter("request_id", "A request with request_id " + requestId + " is already"
                    + " running on model " + uid);
        }
        return () -> inFlight.remove(key, client);
    }

    /** Ends the request; false when none with that id runs (finished, or never started), which is no error. */
    boolean abort(String uid, String requestId) {
        ClientConnection client = inFlight.get(key(uid, requestId));
        if (client == null) {
            return false;
        }
        client.abort();
        return true;
    }

    private static String key(String uid, String requestId) {
        return uid + "\n" + requestId;
    }

    /** Unregisters the request when its handler ends. */
    interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
