package io.jinference.tck;

import io.jinference.api.HostProfile;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/** The CPU-only profile of the machine the conformance run executes on (GPUs are not looked for). */
final class TckHost {

    private TckHost() {
    }

    static HostProfile current() {
        return new HostProfile(os(), arch(), Runtime.getRuntime().availableProcessors(), memoryBytes(), List.of(),
                List.of(), false, true);
    }

    /** A host that no engine of this machine's kind targets, to check that probes answer rather than throw. */
    static HostProfile foreign() {
        boolean onWindows = os().equals("windows");
        return new HostProfile(onWindows ? "linux" : "windows", arch().equals("x86_64") ? "aarch64" : "x86_64", 1,
                1L << 30, List.of(), List.of(), false, false);
    }

    private static String os() {
        String name = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        if (name.contains("mac")) {
            return "macos";
        }
        return name.contains("win") ? "windows" : "linux";
    }

    private static String arch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : "aarch64";
    }

    private static long memoryBytes() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }
}
