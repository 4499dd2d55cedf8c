package io.jinference.hub;

import io.jinference.catalog.ModelCatalog;
import io.jinference.catalog.SpecMatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For scripts/bench-download.py: downloads a catalog spec the way a running server's launch does (the catalog's
 * spec, {@link ModelHub#prepare} and {@link ModelHub#fetch}, in a JVM that is already up), once for each line read
 * from stdin, which names a fresh Hugging Face home; prints {@code DOWNLOADED <seconds>} after each. Usage:
 * {@code DownloadInRunningJvmMain ENDPOINT MODEL FORMAT QUANTIZATION}. The JVM's start-up is thus not counted,
 * but the first download in it runs on code the JIT has not compiled yet, as a freshly started server's does.
 */
public final class DownloadInRunningJvmMain {
    private DownloadInRunningJvmMain() {
    }

    public static void main(String[] args) throws Exception {
        String endpoint = args[0];
        Path home = Files.createTempDirectory("jinference-home");
        SpecMatch match = ModelCatalog.open(home).match(args[1], args[2], null, args[3])
                .orElseThrow(() -> new IllegalArgumentException("No spec " + String.join(" ", args)));
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.out.println("READY");
        System.out.flush();
        for (String hfHome; (hfHome = commands.readLine()) != null && !hfHome.isBlank();) {
            long started = System.nanoTime();
            ModelHub hub = new ModelHub(HubSettings.fromEnvironment(
                    Map.of("HF_ENDPOINT", endpoint, "HF_HOME", hfHome), Path.of(hfHome)));
            HubRequest request = HubRequest.of(match.spec(), match.quantization(), hub.settings().preferredHub());
            hub.fetch(hub.prepare(request), new DownloadProgress(request.repoId()), () -> false);
            System.out.printf("DOWNLOADED %.4f%n", (System.nanoTime() - started) / 1e9);
            System.out.flush();
        }
    }
}
