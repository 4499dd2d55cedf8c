package io.jinference.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where a server without keys may listen: on loopback only, the way vLLM and Xinference run by default. Anywhere
 * else every machine that reaches the port could run code through the bundle routes, so the server refuses to start
 * unless told {@code --insecure}.
 */
public final class BindPolicy {
    private BindPolicy() {
    }

    public static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** @throws IllegalStateException with the reason and the two ways out, when the combination is unsafe */
    public static void check(String host, boolean keysConfigured, boolean insecure) {
        if (keysConfigured || insecure || isLoopback(host)) {
            return;
        }
        throw new IllegalStateException("Refusing to listen on " + host + " without API keys: anyone who reaches "
                + "the port could install engine bundles (code that runs as this user) and read or launch models. "
                + "Create a key with 'jinf keys create --role admin' and start with --api-key-file, or pass "
                + "--insecure if this network is trusted.");
    }
}
