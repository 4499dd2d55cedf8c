package io.jinference.launcher.rest;

import io.jinference.hotplug.JarTrust;
import io.jinference.security.AccessPolicy;
import java.time.Duration;
import java.util.List;

/**
 * How the REST server protects itself: who may call what ({@link AccessPolicy}), which browser origins may call it,
 * and how much a request may send and for how long.
 *
 * @param corsOrigins origins allowed to call from a browser ({@code https://app.example}); empty: no CORS at all
 * @param maxJsonBytes the largest JSON body accepted
 * @param maxUploadBytes the largest bundle jar accepted
 * @param idleTimeout a connection that sends or receives nothing for this long is closed
 * @param jarTrust which bundle jars may be installed (REST and the watched folder)
 * @param headerTimeout a connection still sending one request's headers after this long is closed (slowloris)
 */
public record RestSecurity(AccessPolicy access, List<String> corsOrigins, long maxJsonBytes, long maxUploadBytes,
        Duration idleTimeout, JarTrust jarTrust, Duration headerTimeout) {

    public static final long DEFAULT_MAX_UPLOAD_BYTES = 256L * 1024 * 1024;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(30);

    public RestSecurity {
        corsOrigins = List.copyOf(corsOrigins);
        if (maxJsonBytes <= 0 || maxUploadBytes <= 0) {
            throw new IllegalArgumentException("Body limits must be positive");
        }
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("The header timeout must be positive");
        }
    }

    /** No keys, no CORS, default limits: what the tests and a plain {@code jinf serve} on loopback use. */
    public static RestSecurity open() {
        return new RestSecurity(new AccessPolicy(null, false), List.of(), RestServer.MAX_REQUEST_BYTES,
                DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_IDLE_TIMEOUT, JarTrust.ANY, DEFAULT_HEADER_TIMEOUT);
    }

    public RestSecurity withAccess(AccessPolicy policy) {
        return new RestSecurity(policy, corsOrigins, maxJsonBytes, maxUploadBytes, idleTimeout, jarTrust,
                headerTimeout);
    }

    public RestSecurity withLimits(long json, long upload, Duration idle) {
        return new RestSecurity(access, corsOrigins, json, upload, idle, jarTrust, headerTimeout);
    }

    public RestSecurity withJarTrust(JarTrust trust) {
        return new RestSecurity(access, corsOrigins, maxJsonBytes, maxUploadBytes, idleTimeout, trust,
                headerTimeout);
    }

    public RestSecurity withHeaderTimeout(Duration timeout) {
        return new RestSecurity(access, corsOrigins, maxJsonBytes, maxUploadBytes, idleTimeout, jarTrust, timeout);
    }

    public RestSecurity withCorsOrigins(List<String> origins) {
        return new RestSecurity(access, origins, maxJsonBytes, maxUploadBytes, idleTimeout, jarTrust,
                headerTimeout);
    }
}
