package io.jinference.host;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Reads the profile of the machine this JVM runs on. */
public final class HostProbe {
    /** The CPU features engines care about (SIMD levels llama.cpp and libtorch pick kernels by). */
    static final List<String> INTERESTING_FEATURES = List.of("avx", "avx2", "avx512f", "fma", "f16c", "neon");

    private HostProbe() {
    }

    public static HostProfile probe() {
        String os = normaliseOs(System.getProperty("os.name"));
        String arch = normaliseArch(System.getProperty("os.arch"));
        boolean appleSilicon = os.equals("macos") && arch.equals("aarch64");
        List<GpuDevice> gpus = os.equals("macos") ? List.of() : NvidiaSmi.gpus();
        return new HostProfile(os, arch, Runtime.getRuntime().availableProcessors(), totalMemory(),
                cpuFeatures(arch, appleSilicon), gpus, appleSilicon, true);
    }

    static String normaliseOs(String osName) {
        String name = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (name.startsWith("linux")) {
            return "linux";
        }
        if (name.startsWith("mac") || name.startsWith("darwin")) {
            return "macos";
        }
        if (name.startsWith("windows")) {
            return "windows";
        }
        return name.replace(' ', '_');
    }

    static String normaliseArch(String osArch) {
        String arch = osArch == null ? "" : osArch.toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64", "x64", "x86-64" -> "x86_64";
            case "arm64", "aarch64" -> "aarch64";
            default -> arch;
        };
    }

    private static long totalMemory() {
        Path meminfo = Path.of("/proc/meminfo");
        if (Files.isReadable(meminfo)) {
            try {
                long bytes = parseMemTotal(Files.readString(meminfo));
                if (bytes > 0) {
                    return bytes;
                }
            } catch (IOException e) {
                // fall through to the JVM's view, which is right outside containers
            }
        }
        try {
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean bean) {
                return bean.getTotalMemorySize();
            }
        } catch (NoClassDefFoundError e) {
            // com.sun.management is a JDK extension, an optional import when this jar runs as a bundle
        }
        return Runtime.getRuntime().maxMemory();
    }

    /** The {@code MemTotal} line of /proc/meminfo in bytes, or -1. */
    static long parseMemTotal(String meminfo) {
        return meminfo.lines().filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024L).orElse(-1L);
    }

    private static List<String> cpuFeatures(String arch, boolean appleSilicon) {
        if (appleSilicon) {
            return List.of("neon");
        }
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) {
            return arch.equals("aarch64") ? List.of("neon") : List.of();
        }
        try {
            return parseCpuFeatures(Files.readString(cpuinfo));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The interesting features of the first CPU in /proc/cpuinfo: x86 {@code flags}, or ARM {@code Features} (asimd = neon). */
    static List<String> parseCpuFeatures(String cpuinfo) {
        Set<String> flags = new LinkedHashSet<>();
        cpuinfo.lines()
                .filter(line -> line.startsWith("flags") || line.startsWith("Features"))
                .findFirst()
                .ifPresent(line -> flags.addAll(Arrays.asList(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))));
        if (flags.contains("asimd")) {
            flags.add("neon");
        }
        List<String> features = new ArrayList<>();
        INTERESTING_FEATURES.stream().filter(flags::contains).forEach(features::add);
        return features;
    }
}
