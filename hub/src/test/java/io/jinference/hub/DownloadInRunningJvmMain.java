package io.jinference.hub;

import io.jinference.catalog.ModelCatalog;
import com.sun.management.OperatingSystemMXBean;
import io.jinference.catalog.SpecMatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Random;

/**
 * For scripts/bench-download.py: downloads a catalog spec the way a running server's launch does (the catalog's
 * spec, {@link ModelHub#prepare} and {@link ModelHub#fetch}, in a JVM that is already up), once for each line read
 * from stdin, which names a fresh Hugging Face home; prints {@code DOWNLOADED <seconds> <CPU seconds>} after each (the
 * CPU time of this whole process while it downloaded). Usage:
 * {@code DownloadInRunningJvmMain ENDPOINT MODEL FORMAT QUANTIZATION}. The JVM's start-up is thus not counted,
 * but the first download in it runs on code the JIT has not compiled yet, as a freshly started server's does.
 * Before the first line it prints {@code READY <bytes per second>}: how fast this JVM computes SHA-256 alone, on a
 * 256 KiB buffer that stays in the core's cache (the verification huggingface_hub does not do, at its best).
 */
public final class DownloadInRunningJvmMain {
    private static final OperatingSystemMXBean PROCESS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private DownloadInRunningJvmMain() {
    }

    /** SHA-256 of 1 GB through one 256 KiB buffer, the best of three passes (the first ones warm the JIT up). */
    private static double sha256BytesPerSecond() throws NoSuchAlgorithmException {
        byte[] buffer = new byte[256 * 1024];
        new Random(1).nextBytes(buffer);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 1L << 30;
        double best = 0;
        for (int pass = 0; pass < 3; pass++) {
            long started = System.nanoTime();
            for (long hashed = 0; hashed < total; hashed += buffer.length) {
                digest.update(buffer);
            }
            digest.digest();
            best = Math.max(best, total * 1e9 / (System.nanoTime() - started));
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        Path home = Files.createTempDirectory("jinference-home");
        SpecMatch match = ModelCatalog.open(home).match(args[1], args[2], null, args[3])
                .orElseThrow(() -> new IllegalArgumentException("No spec " + String.join(" ", args)));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY " + sha256BytesPerSecond());
        System.out.flush();
        for (String hfHome; (hfHome = commands.readLine()) != null && !hfHome.isBlank();) {
            long started = System.nanoTime();
            long cpuStarted = PROCESS.getProcessCpuTime();
            ModelHub hub = new ModelHub(HubSettings.fromEnvironment(
                    Map.of("HF_ENDPOINT", endpoint, "HF_HOME", hfHome), Path.of(hfHome)));
            HubRequest request = HubRequest.of(match.spec(), match.quantization(), hub.settings().preferredHub());
            hub.fetch(hub.prepare(request), new DownloadProgress(request.repoId()), () -> false);
            System.out.printf("DOWNLOADED %.4f %.4f%n", (System.nanoTime() - started) / 1e9,
                    (PROCESS.getProcessCpuTime() - cpuStarted) / 1e9);
            System.out.flush();
        }
    }
}
