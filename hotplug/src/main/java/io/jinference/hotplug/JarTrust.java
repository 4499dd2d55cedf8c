package io.jinference.hotplug;

import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Which jars may be installed: any, or only those whose every entry is signed by a certificate of a trust store
 * ({@code --trusted-signers}). The check is the JDK's own jar verification: opening the jar with verification on and
 * reading each entry makes the JDK check the digests against the signed manifest and throw on any change.
 */
public final class JarTrust {
    /** No trust store: every jar may be installed (the routes are still admin only when keys are configured). */
    public static final JarTrust ANY = new JarTrust(null);

    private final Set<Certificate> trusted;

    private JarTrust(Set<Certificate> trusted) {
        this.trusted = trusted;
    }

    /** The certificates of a PKCS12 or JKS key store; {@code password} may be null for a certificate-only store. */
    public static JarTrust fromKeyStore(Path keyStore, char[] password) {
        try {
            KeyStore store = KeyStore.getInstance(keyStore.toFile(), password);
            Set<Certificate> certificates = new HashSet<>();
            for (String alias : Collections.list(store.aliases())) {
                Certificate certificate = store.getCertificate(alias);
                if (certificate != null) {
                    certificates.add(certificate);
                }
            }
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("The trust store " + keyStore + " holds no certificate");
            }
            return new JarTrust(Set.copyOf(certificates));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read the trust store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    public boolean restricted() {
        return trusted != null;
    }

    /** @throws BundleRejectedException when a trust store is set and the jar is not wholly signed by one of it */
    void check(Path jar, String label) {
        if (trusted == null) {
            return;
        }
        try (JarFile file = new JarFile(jar.toFile(), true)) {
            int signed = 0;
            for (JarEntry entry : Collections.list(file.entries())) {
                if (entry.isDirectory() || isSignatureFile(entry.getName())) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
                if (!signedByTrusted(entry.getCodeSigners())) {
                    throw new BundleRejectedException(Problem.NOT_TRUSTED, label + " is not signed by a trusted "
                            + "signer (entry " + entry.getName() + "); only jars signed by a certificate of the "
                            + "--trusted-signers store are installed");
                }
                signed++;
            }
            if (signed == 0) {
                throw new BundleRejectedException(Problem.NOT_TRUSTED, label + " has no signed content");
            }
        } catch (SecurityException e) {
            throw new BundleRejectedException(Problem.NOT_TRUSTED, label + " has a signature that does not verify: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new BundleRejectedException(Problem.NOT_A_JAR, label + " cannot be read as a jar");
        }
    }

    private boolean signedByTrusted(CodeSigner[] signers) {
        if (signers == null) {
            return false;
        }
        for (CodeSigner signer : signers) {
            for (Certificate certificate : signer.getSignerCertPath().getCertificates()) {
                if (trusted.contains(certificate)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The manifest and the signature files themselves are what is signed over, not signed content. */
    private static boolean isSignatureFile(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
            return false;
        }
        return upper.equals("META-INF/MANIFEST.MF") || upper.endsWith(".SF") || upper.endsWith(".RSA")
                || upper.endsWith(".DSA") || upper.endsWith(".EC") || upper.startsWith("META-INF/SIG-");
    }
}
