package io.jinference.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys on a real file: stored hashed, reread when the file changes, and the decisions of each role. */
class AccessPolicyTest {
    @TempDir
    Path dir;

    private static final RouteAccess.Rule CHAT = RouteAccess.of("POST", "/v1/chat/completions");

    @Test
    void theKeyIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        ApiKeyFile file = new ApiKeyFile(dir.resolve("keys.json"));
        String key = file.create(Role.USER, List.of("a"));

        assertThat(key).startsWith("jinf-").hasSizeGreaterThan(40);
        assertThat(Files.readString(file.path())).doesNotContain(key).contains(KeyHashes.sha256Hex(key));
        assertThat(Files.getPosixFilePermissions(file.path())).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        assertThat(file.read()).singleElement().satisfies(stored -> {
            assertThat(stored.role()).isEqualTo(Role.USER);
            assertThat(stored.models()).containsExactly("a");
        });
    }

    @Test
    void eachRoleGetsWhatTheTableSays() {
        ApiKeyFile file = new ApiKeyFile(dir.resolve("keys.json"));
        String admin = file.create(Role.ADMIN, List.of());
        String user = file.create(Role.USER, List.of("a"));
        AccessPolicy policy = new AccessPolicy(new ApiKeys(file), false);

        assertThat(policy.decide(CHAT, null, () -> "a").status()).isEqualTo(401);
        assertThat(policy.decide(CHAT, "jinf-guess", () -> "a").status()).isEqualTo(401);
        assertThat(policy.decide(CHAT, user, () -> "a").allowed()).isTrue();
        assertThat(policy.decide(CHAT, user, () -> "b").status()).isEqualTo(403);
        assertThat(policy.decide(RouteAccess.of("POST", "/v1/engine-bundles"), user, () -> null).status())
                .isEqualTo(403);
        assertThat(policy.decide(RouteAccess.of("POST", "/v1/models"), user, () -> "a").status()).isEqualTo(403);
        assertThat(new AccessPolicy(new ApiKeys(file), true).decide(RouteAccess.of("POST", "/v1/models"), user,
                () -> "a").allowed()).isTrue();
        assertThat(policy.decide(RouteAccess.of("POST", "/v1/engine-bundles"), admin, () -> null).allowed()).isTrue();
        assertThat(policy.decide(RouteAccess.of("GET", "/status"), null, () -> null).allowed()).isTrue();
        assertThat(policy.decide(RouteAccess.of("GET", "/v1/route-nobody-listed"), user, () -> null).status())
                .as("an unlisted route is admin only").isEqualTo(403);
    }

    @Test
    void aKeyCreatedOrRevokedWhileServingCountsAtTheNextRequest() {
        ApiKeyFile file = new ApiKeyFile(dir.resolve("keys.json"));
        ApiKeys keys = new ApiKeys(file);
        String later = file.create(Role.USER, List.of());
        assertThat(keys.authenticate(later)).isPresent();
        assertThat(file.revoke(keys.authenticate(later).orElseThrow().id())).isTrue();
        assertThat(keys.authenticate(later)).isEmpty();
    }

    @Test
    void aPublicAddressNeedsKeysOrInsecure() {
        BindPolicy.check("127.0.0.1", false, false);
        BindPolicy.check("localhost", false, false);
        BindPolicy.check("0.0.0.0", true, false);
        BindPolicy.check("0.0.0.0", false, true);
        assertThatThrownBy(() -> BindPolicy.check("0.0.0.0", false, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("--insecure");
    }

    @Test
    void theClusterKeyOfTheOtherNodesHasEveryRight() {
        ApiKeyFile file = new ApiKeyFile(dir.resolve("keys.json"));
        String user = file.create(Role.USER, List.of("a"));
        AccessPolicy policy = new AccessPolicy(new ApiKeys(file), false).withClusterKey("cluster-secret-key");
        assertThat(policy.decide(RouteAccess.of("POST", "/v1/models"), "cluster-secret-key", () -> "b").allowed())
                .isTrue();
        assertThat(policy.decide(CHAT, "cluster-secret-key", () -> "b").allowed()).isTrue();
        assertThat(policy.decide(CHAT, "cluster-secret-kez", () -> "b").status()).isEqualTo(401);
        assertThat(policy.decide(CHAT, user, () -> "b").status()).isEqualTo(403);
        assertThat(policy.decide(CHAT, "", () -> "a").status()).isEqualTo(401);
    }
}
