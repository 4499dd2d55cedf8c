package io.jinference.host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Host profiles that are given rather than probed: named presets, inline JSON or a JSON file. A given profile is never
 * {@link HostProfile#probed() probed}, so the registry matches it statically.
 *
 * <p>JSON shape (snake_case, all but os and arch optional):
 * {@code {"os":"linux","arch":"x86_64","cpu_cores":16,"memory_bytes":68719476736,"cpu_features":["avx2"],
 * "gpus":[{"index":0,"kind":"cuda","name":"NVIDIA A100-SXM4-80GB","memory_bytes":85899345920,"compute_capability":"8.0"}],
 * "apple_silicon":false}}.
 */
public final class HostProfiles {
    private static final long GIB = 1024L * 1024L * 1024L;
    private static final List<String> X86_FEATURES = List.of("avx", "avx2", "fma", "f16c");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static final Map<String, HostProfile> PRESETS = presets();

    private HostProfiles() {
    }

    private static Map<String, HostProfile> presets() {
        Map<String, HostProfile> presets = new LinkedHashMap<>();
        presets.put("linux-x86_64-cpu", new HostProfile("linux", "x86_64", 16, 64 * GIB, X86_FEATURES, List.of(), false, false));
        presets.put("linux-x86_64-cuda", new HostProfile("linux", "x86_64", 32, 256 * GIB, X86_FEATURES, a100s(1), false, false));
        presets.put("linux-x86_64-cuda-x4", new HostProfile("linux", "x86_64", 64, 1024 * GIB, X86_FEATURES, a100s(4), false, false));
        // the host of issue 15, as nvidia-smi described it: 0, NVIDIA H200, 143771, 9.0
        presets.put("linux-x86_64-h200", new HostProfile("linux", "x86_64", 16, 125 * GIB, X86_FEATURES,
                List.of(new GpuDevice(0, "cuda", "NVIDIA H200", 143771L * 1024 * 1024, "9.0")), false, false));
        presets.put("macos-arm64", new HostProfile("macos", "aarch64", 12, 64 * GIB, List.of("neon"), List.of(), true, false));
        presets.put("windows-x86_64-cpu", new HostProfile("windows", "x86_64", 16, 32 * GIB, X86_FEATURES, List.of(), false, false));
        return Map.copyOf(presets);
    }

    private static List<GpuDevice> a100s(int count) {
        List<GpuDevice> gpus = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            gpus.add(new GpuDevice(i, "cuda", "NVIDIA A100-SXM4-80GB", 80 * GIB, "8.0"));
        }
        return gpus;
    }

    /** Preset names, sorted. */
    public static List<String> presetNames() {
        return PRESETS.keySet().stream().sorted().toList();
    }

    public static Optional<HostProfile> preset(String name) {
        return Optional.ofNullable(name == null ? null : PRESETS.get(name.trim()));
    }

    /**
     * A profile from a user's words: null, blank or {@code probe} probes this machine; a preset name; inline JSON
     * (starting with <code>{</code>); or a path to a JSON file.
     *
     * @throws IllegalArgumentException naming the presets when the value is none of these
     */
    public static HostProfile resolve(String presetNameOrJsonOrFile) {
        String value = presetNameOrJsonOrFile == null ? "" : presetNameOrJsonOrFile.trim();
        if (value.isEmpty() || value.equals("probe")) {
            return HostProbe.probe();
        }
        Optional<HostProfile> preset = preset(value);
        if (preset.isPresent()) {
            return preset.get();
        }
        if (value.startsWith("{")) {
            return parse(value);
        }
        Path file = Path.of(value);
        if (Files.isRegularFile(file)) {
            try {
                return parse(Files.readString(file));
            } catch (IOException e) {
                throw new IllegalArgumentException("Cannot read host profile file " + file + ": " + e.getMessage());
            }
        }
        throw new IllegalArgumentException("Unknown host profile '" + value + "': use probe, one of "
                + String.join(", ", presetNames()) + ", inline JSON or a JSON file");
    }

    /** Parses the JSON shape in the class comment. */
    public static HostProfile parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("Host profile is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject() || !node.path("os").isTextual() || !node.path("arch").isTextual()) {
            throw new IllegalArgumentException("Host profile JSON needs at least \"os\" and \"arch\" strings");
        }
        List<String> features = new ArrayList<>();
        node.path("cpu_features").forEach(feature -> features.add(feature.asText()));
        List<GpuDevice> gpus = new ArrayList<>();
        for (JsonNode gpu : node.path("gpus")) {
            gpus.add(new GpuDevice(gpu.path("index").asInt(gpus.size()), gpu.path("kind").asText("cuda"),
                    gpu.path("name").asText("GPU " + gpus.size()), gpu.path("memory_bytes").asLong(0),
                    gpu.hasNonNull("compute_capability") ? gpu.path("compute_capability").asText() : null));
        }
        String os = HostProbe.normaliseOs(node.path("os").asText());
        String arch = HostProbe.normaliseArch(node.path("arch").asText());
        boolean appleSilicon = node.path("apple_silicon").asBoolean(os.equals("macos") && arch.equals("aarch64"));
        return new HostProfile(os, arch, node.path("cpu_cores").asInt(1), node.path("memory_bytes").asLong(0),
                features, gpus, appleSilicon, false);
    }

    /** The JSON shape of {@link #parse(String)}, plus {@code probed}; for REST answers. */
    public static Map<String, Object> toMap(HostProfile host) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("os", host.os());
        map.put("arch", host.arch());
        map.put("cpu_cores", host.cpuCores());
        map.put("memory_bytes", host.memoryBytes());
        map.put("cpu_features", host.cpuFeatures());
        List<Map<String, Object>> gpus = new ArrayList<>();
        for (GpuDevice gpu : host.gpus()) {
            Map<String, Object> gpuMap = new LinkedHashMap<>();
            gpuMap.put("index", gpu.index());
            gpuMap.put("kind", gpu.kind());
            gpuMap.put("name", gpu.name());
            gpuMap.put("memory_bytes", gpu.memoryBytes());
            gpuMap.put("compute_capability", gpu.computeCapability());
            gpus.add(gpuMap);
        }
        map.put("gpus", gpus);
        map.put("apple_silicon", host.appleSilicon());
        map.put("probed", host.probed());
        return map;
    }

    /** "linux/x86_64 with 1 CUDA device", "macos/aarch64 (Apple silicon)", "linux/x86_64, CPU only": for explanations. */
    public static String describe(HostProfile host) {
        StringBuilder text = new StringBuilder(host.os()).append('/').append(host.arch());
        if (!host.gpus().isEmpty()) {
            host.deviceKinds().stream().filter(kind -> !kind.equals("cpu") && !kind.equals("mps")).forEach(kind -> {
                long count = host.gpuCount(kind);
                text.append(" with ").append(count).append(' ').append(kind.toUpperCase(java.util.Locale.ROOT))
                        .append(count == 1 ? " device" : " devices");
            });
        } else if (host.appleSilicon()) {
            text.append(" (Apple silicon)");
        } else {
            text.append(", CPU only");
        }
        return text.toString();
    }
}
