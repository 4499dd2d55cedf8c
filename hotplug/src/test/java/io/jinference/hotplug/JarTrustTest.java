package io.jinference.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --trusted-signers}: key stores made by the JDK's keytool, jars signed with the JDK's JarSigner, installed
 * into a real Felix. Only a jar signed by a trusted certificate installs; unsigned, foreign-signed and tampered jars
 * are refused and nothing stays installed.
 */
class JarTrustTest {
    private static final char[] PASSWORD = "changeit".toCharArray();

    @TempDir
    Path folder;
    private TestFramework framework;
    private FixtureBundles jars;

    @BeforeEach
    void start() throws Exception {
        framework = new TestFramework(folder.resolve("felix"));
        jars = new FixtureBundles(Files.createDirectories(folder.resolve("jars")));
    }

    @AfterEach
    void stop() throws Exception {
        framework.close();
    }

    @Test
    void onlyJarsSignedByATrustedSignerInstall() throws Exception {
        Path trusted = keyStore("trusted");
        Path stranger = keyStore("stranger");
        EngineBundles bundles = new EngineBundles(framework.context(), folder.resolve("store"),
                JarTrust.fromKeyStore(trusted, PASSWORD));
        Path unsigned = jars.engine("1.0.0");

        assertRefused(bundles, unsigned, "is not signed by a trusted signer");
        assertRefused(bundles, sign(unsigned, stranger, "by-stranger.jar"), "is not signed by a trusted signer");
        Path signed = sign(unsigned, trusted, "signed.jar");
        assertRefused(bundles, tamper(signed), "has a signature that does not verify");

        try (InputStream in = Files.newInputStream(signed)) {
            assertThat(bundles.install("signed.jar", in).state()).isEqualTo("active");
        }
    }

    private static void assertRefused(EngineBundles bundles, Path jar, String reason) {
        int before = bundles.list().size();
        assertThatThrownBy(() -> {
            try (InputStream in = Files.newInputStream(jar)) {
                bundles.install(jar.getFileName().toString(), in);
            }
        }).isInstanceOfSatisfying(BundleRejectedException.class,
                e -> assertThat(e.problem()).isEqualTo(Problem.NOT_TRUSTED)).hasMessageContaining(reason);
        assertThat(bundles.list()).hasSize(before);
    }

    /** A PKCS12 store with one self-signed EC key pair, made by keytool as a person would. */
    private Path keyStore(String name) throws Exception {
        Path store = folder.resolve(name + ".p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                new String(PASSWORD), "-alias", name, "-keyalg", "EC", "-dname", "CN=" + name, "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        return store;
    }

    private Path sign(Path jar, Path store, String signedName) throws Exception {
        KeyStore keys = KeyStore.getInstance(store.toFile(), PASSWORD);
        String alias = keys.aliases().nextElement();
        JarSigner signer = new JarSigner.Builder((PrivateKey) keys.getKey(alias, PASSWORD),
                CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(keys.getCertificateChain(alias))))
                .build();
        Path signed = folder.resolve(signedName);
        try (ZipFile in = new ZipFile(jar.toFile()); OutputStream out = Files.newOutputStream(signed)) {
            signer.sign(in, out);
        }
        return signed;
    }

    /** The signed jar with one class entry's bytes changed after signing (same name, same length). */
    private Path tamper(Path signed) throws Exception {
        Path tampered = folder.resolve("tampered.jar");
        try (ZipFile in = new ZipFile(signed.toFile());
                java.util.zip.ZipOutputStream out = new java.util.zip.ZipOutputStream(Files.newOutputStream(tampered))) {
            List<? extends java.util.zip.ZipEntry> entries = in.stream().toList();
            boolean changed = false;
            for (java.util.zip.ZipEntry entry : entries) {
                byte[] bytes = in.getInputStream(entry).readAllBytes();
                if (!changed && entry.getName().endsWith(".class")) {
                    bytes[bytes.length - 1] ^= 1;
                    changed = true;
                }
                out.putNextEntry(new java.util.zip.ZipEntry(entry.getName()));
                out.write(bytes);
                out.closeEntry();
            }
            assertThat(changed).isTrue();
        }
        return tampered;
    }
}
