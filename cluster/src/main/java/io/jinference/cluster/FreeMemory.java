package io.jinference.cluster;

import io.jinference.api.HostProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** The memory a host has free for another model. */
public final class FreeMemory {
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private FreeMemory() {
    }

    /**
     * The host's memory (as probed, or as a given host profile says) less what its models are estimated to take,
     * and never more than the kernel's {@code MemAvailable} (where there is a {@code /proc}). A profile that gives
     * no memory leaves {@code MemAvailable} alone, and without either the memory counts as unlimited.
     */
    public static long of(HostProfile host, long takenBytes) {
        long byEstimate = host.memoryBytes() > 0 ? host.memoryBytes() - takenBytes : Long.MAX_VALUE;
        OptionalLong available = memAvailable();
        return Math.max(0, available.isPresent() ? Math.min(byEstimate, available.getAsLong()) : byEstimate);
    }

    static OptionalLong memAvailable() {
        try {
            for (String line : Files.readAllLines(MEMINFO)) {
                if (line.startsWith("MemAvailable:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException notLinux) {
            // no /proc: the host profile's figure stands alone
        }
        return OptionalLong.empty();
    }
}
