package io.jinference.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jinf cluster init}'s secrets: a key store keytool made, owner-only files, never overwritten. */
final class ClusterSecretsTest {
    @TempDir
    Path dir;

    @Test
    void initMakesAKeyStoreWithTheClustersKeyAndCertificate() throws IOException, GeneralSecurityException {
        Path folder = dir.resolve("cluster");
        ClusterSecrets secrets = ClusterSecrets.init(folder);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(secrets.keyStore())) {
            store.load(in, secrets.password().toCharArray());
        }
        assertThat(store.isKeyEntry("jinference-cluster")).isTrue();
        assertThat(store.getCertificate("jinference-cluster").getPublicKey().getAlgorithm()).isEqualTo("RSA");
        for (String name : new String[] {ClusterSecrets.KEY_STORE, "cluster.password", "cluster.key"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.resolve(name))))
                    .isEqualTo("rw-------");
        }
        assertThat(secrets.httpKey()).hasSizeGreaterThan(40).isNotEqualTo(secrets.password());
        assertThat(ClusterSecrets.load(folder)).isEqualTo(secrets);

        assertThatThrownBy(() -> ClusterSecrets.init(folder)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("exists already");
    }

    @Test
    void aFolderWithoutSecretsSaysHowToMakeThem() {
        assertThatThrownBy(() -> ClusterSecrets.load(dir)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no cluster.p12").hasMessageContaining("jinf cluster init --dir");
    }
}
