package io.jinference.security;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides one request: no keys configured means everything is open (the server then listens on loopback only, see
 * {@code BindPolicy}); otherwise the key must be known (else 401) and have the route's right (else 403).
 */
public final class AccessPolicy {

    /** The answer: allowed, or the HTTP status and the reason to show. */
    public record Decision(int status, String reason) {
        static final Decision ALLOWED = new Decision(200, "");

        public boolean allowed() {
            return status == 200;
        }
    }

    private final ApiKeys keys;
    private final boolean usersMayLaunch;
    /** The SHA-256 of the cluster's node-to-node key, or null outside a cluster. */
    private final byte[] clusterKeyHash;

    /** @param keys null when the server runs without keys */
    public AccessPolicy(ApiKeys keys, boolean usersMayLaunch) {
        this(keys, usersMayLaunch, null);
    }

    private AccessPolicy(ApiKeys keys, boolean usersMayLaunch, byte[] clusterKeyHash) {
        this.keys = keys;
        this.usersMayLaunch = usersMayLaunch;
        this.clusterKeyHash = clusterKeyHash;
    }

    /**
     * The same policy, also admitting the cluster's node-to-node key with every right: the other nodes of the
     * cluster present it when they forward a request or ask for a model's description.
     */
    public AccessPolicy withClusterKey(String clusterKey) {
        return new AccessPolicy(keys, usersMayLaunch, KeyHashes.sha256(clusterKey));
    }

    public boolean enabled() {
        return keys != null;
    }

    /** The key file the keys come from; empty when the server runs without keys. */
    public Optional<ApiKeyFile> keyFile() {
        return keys == null ? Optional.empty() : Optional.of(keys.file());
    }

    /**
     * @param bearer the presented key (the {@code Authorization: Bearer} value), null when none
     * @param model the model the request names, read only when the rule needs it
     */
    public Decision decide(RouteAccess.Rule rule, String bearer, Supplier<String> model) {
        if (keys == null || rule.access() == Access.PUBLIC) {
            return Decision.ALLOWED;
        }
        if (clusterKeyHash != null && bearer != null && !bearer.isEmpty()
                && java.security.MessageDigest.isEqual(clusterKeyHash, KeyHashes.sha256(bearer))) {
            return Decision.ALLOWED;
        }
        Optional<ApiKey> key = keys.authenticate(bearer);
        if (key.isEmpty()) {
            return new Decision(401, bearer == null || bearer.isEmpty()
                    ? "This server requires an API key: send it as 'Authorization: Bearer <key>'"
                    : "Invalid API key");
        }
        ApiKey known = key.get();
        if (known.role() == Role.ADMIN) {
            return Decision.ALLOWED;
        }
        return switch (rule.access()) {
            case PUBLIC, ANY_KEY -> Decision.ALLOWED;
            case MODEL -> modelDecision(known, model.get());
            case LAUNCH -> usersMayLaunch ? modelDecision(known, model.get())
                    : new Decision(403, "Launching and terminating models needs an admin key");
            case ADMIN -> new Decision(403, "This route needs an admin key");
        };
    }

    private static Decision modelDecision(ApiKey key, String model) {
        if (key.allows(model)) {
            return Decision.ALLOWED;
        }
        return new Decision(403, model == null ? "This key may only use the models it names; name one"
                : "This key may not use model '" + model + "'");
    }
}
