package io.jinference.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cluster's shared secrets, made once by {@code jinf cluster init} and copied to every node: a PKCS12 key store
 * with the cluster's key pair and self-signed certificate (Artery's TLS uses it as key store and trust store, with
 * mutual authentication, so a node without it cannot connect, let alone join), its password, and the HTTP key the
 * nodes present to each other when they proxy requests.
 *
 * @param keyStore {@value #KEY_STORE} in the folder
 * @param password the key store's (and its key's) password
 * @param httpKey the bearer key of node-to-node HTTP requests
 */
public record ClusterSecrets(Path keyStore, String password, String httpKey) {
    public static final String KEY_STORE = "cluster.p12";
    static final String PASSWORD = "cluster.password";
    static final String HTTP_KEY = "cluster.key";
    private static final String ALIAS = "jinference-cluster";
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Makes the secrets in {@code folder} with the JDK's {@code keytool} (RSA 3072, ten years); the files are readable
     * by their owner only.
     *
     * @throws IllegalStateException when the folder already holds a cluster's secrets (they are never overwritten:
     *     the nodes that have them would no longer be let in)
     */
    public static ClusterSecrets init(Path folder) {
        try {
            Files.createDirectories(folder);
            if (Files.exists(folder.resolve(KEY_STORE))) {
                throw new IllegalStateException(folder.resolve(KEY_STORE) + " exists already; a new key store would "
                        + "lock out the nodes that have this one. Remove the folder first to make a new cluster.");
            }
            String password = randomText();
            writeOwnerOnly(folder.resolve(PASSWORD), password);
            writeOwnerOnly(folder.resolve(HTTP_KEY), randomText());
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            ProcessBuilder builder = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", ALIAS,
                    "-keyalg", "RSA", "-keysize", "3072", "-validity", "3650", "-dname", "CN=" + ALIAS,
                    "-storetype", "PKCS12", "-keystore", folder.resolve(KEY_STORE).toString(),
                    "-storepass:env", "JINFERENCE_CLUSTER_STOREPASS", "-keypass:env", "JINFERENCE_CLUSTER_STOREPASS"))
                    .redirectErrorStream(true);
            // the password travels in the environment, never on a command line that ps shows
            builder.environment().put("JINFERENCE_CLUSTER_STOREPASS", password);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool could not make the cluster's key store: " + output.strip());
            }
            Files.setPosixFilePermissions(folder.resolve(KEY_STORE), PosixFilePermissions.fromString("rw-------"));
            return load(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("The cluster's secrets cannot be written to " + folder, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the cluster's key store", e);
        }
    }

    /** @throws IllegalArgumentException naming what is missing when the folder holds no cluster's secrets */
    public static ClusterSecrets load(Path folder) {
        for (String name : List.of(KEY_STORE, PASSWORD, HTTP_KEY)) {
            if (!Files.isRegularFile(folder.resolve(name))) {
                throw new IllegalArgumentException("The cluster folder " + folder + " has no " + name
                        + ": make it with 'jinf cluster init --dir " + folder + "' on one node and copy it to the others");
            }
        }
        try {
            return new ClusterSecrets(folder.resolve(KEY_STORE).toAbsolutePath(),
                    Files.readString(folder.resolve(PASSWORD)).strip(), Files.readString(folder.resolve(HTTP_KEY)).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("The cluster's secrets cannot be read from " + folder, e);
        }
    }

    private static String randomText() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writeOwnerOnly(Path file, String text) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(file + " exists already; remove the folder first to make a new cluster", e);
        }
        Files.writeString(file, text + "\n");
    }

    @Override
    public String toString() {
        return "ClusterSecrets[" + keyStore + "]";
    }
}
