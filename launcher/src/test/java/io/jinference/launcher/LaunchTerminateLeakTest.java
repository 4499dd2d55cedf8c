package io.jinference.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Launching and terminating the same GGUF again and again leaves the server's memory where it was: the model lives
 * in its model host, which takes its mappings with it when it exits. (In the server's own JVM, each cycle of
 * SmolLM2 used to leak about 500 MB.) A correctness check, not a benchmark: nothing is timed.
 */
final class LaunchTerminateLeakTest {
    private static final int CYCLES = 50;
    private static final int WARM_UP_CYCLES = 3;
    private static final long ALLOWED_GROWTH_KB = 50L * 1024;

    @TempDir
    Path home;

    @Test
    void fiftyLaunchTerminateCyclesGrowTheServerByLessThan50Mb() {
        Path model = SmolLm2ChatTest.smolLm2();
        // The heap is fixed and touched up front, so the resident size shows what is not Java heap: mappings,
        // native memory, threads, class metadata; a model left mapped would add about 100 MB per cycle.
        try (ServerProcess server = ServerProcess.start(home, List.of("-Xms256m", "-Xmx256m",
                "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"))) {
            Http http = server.http();
            for (int i = 0; i < WARM_UP_CYCLES; i++) {
                cycle(http, model);
            }
            long before = ServerProcess.rssKb(server.pid());
            for (int i = 0; i < CYCLES; i++) {
                cycle(http, model);
            }
            long after = ServerProcess.rssKb(server.pid());
            System.out.printf("server VmRSS: %d kB before, %d kB after %d cycles%n", before, after, CYCLES);
            assertThat(after - before).as("server RSS growth in kB over %d cycles (%d kB before, %d kB after)",
                    CYCLES, before, after).isLessThan(ALLOWED_GROWTH_KB);
            assertThat(http.get("/v1/models").json().path("data")).isEmpty();
        }
    }

    private static void cycle(Http http, Path model) {
        Http.Answer launched = http.post("/v1/models", Map.of("model_name", "smollm2-instruct",
                "model_format", "ggufv2", "model_path", model.toString(), "model_uid", "smol"));
        assertThat(launched.status()).as(launched.body()).isEqualTo(200);
        Http.Answer terminated = http.delete("/v1/models/smol");
        assertThat(terminated.status()).as(terminated.body()).isEqualTo(200);
    }
}
