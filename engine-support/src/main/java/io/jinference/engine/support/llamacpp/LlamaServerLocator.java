package io.jinference.engine.support.llamacpp;

import io.jinference.engine.support.PythonRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds {@code llama-server}, first match wins: the binary named by the system property {@value #PROPERTY} or the
 * environment variable {@value #VARIABLE}; else the newest runtime {@code jinf runtimes install llama.cpp} built under
 * {@code <home>/runtimes/llama.cpp} (a GPU build before the CPU build of the same number).
 */
public final class LlamaServerLocator {
    public static final String PROPERTY = "jinference.llamacpp.server";
    public static final String VARIABLE = "JINFERENCE_LLAMA_SERVER";
    public static final String INSTALL_COMMAND = "jinf runtimes install llama.cpp";

    private static final Pattern BUILD_FOLDER = Pattern.compile("b([0-9]{1,9})");
    /** {@code version: 0.6.0-dev (build 11434, commit …)}; older builds print {@code version: 4916 (…)}. */
    private static final Pattern BUILD_NUMBER = Pattern.compile("\\(build ([0-9]+)|version: ([0-9]+) \\(");
    /** {@code --version} answers per binary and modification time: a probe must not start a process each time. */
    private static final Map<String, LlamaServerRuntime> VERSION_CACHE = new ConcurrentHashMap<>();

    /** The outcome: a runtime, or why there is none (with the fixing command). */
    public record Lookup(LlamaServerRuntime runtime, String problem) {
        public Optional<LlamaServerRuntime> found() {
            return Optional.ofNullable(runtime);
        }
    }

    private LlamaServerLocator() {
    }

    /** {@code <home>/runtimes/llama.cpp}: where {@code jinf runtimes install llama.cpp} builds by default. */
    public static Path defaultRuntimesDir() {
        return PythonRuntime.home().resolve("runtimes").resolve("llama.cpp");
    }

    /** Where an installed build keeps its binary and {@code runtime.json}: {@code <dir>/b<N>/build-<backend>/bin}. */
    public static Path binDir(Path runtimesDir, int build, String backend) {
        return runtimesDir.resolve("b" + build).resolve("build-" + backend).resolve("bin");
    }

    public static Lookup locate() {
        String configured = System.getProperty(PROPERTY);
        String origin = "configured by -D" + PROPERTY;
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(VARIABLE);
            origin = "configured by $" + VARIABLE;
        }
        if (configured != null && !configured.isBlank()) {
            return configured(Path.of(configured.trim()), origin);
        }
        Path dir = defaultRuntimesDir();
        return installed(dir).map(runtime -> new Lookup(runtime, null)).orElseGet(() -> new Lookup(null,
                "No llama-server found: none is configured (-D" + PROPERTY + " or $" + VARIABLE + ") and none is"
                        + " installed under " + dir + "; run `" + INSTALL_COMMAND + "` (add --gpu cuda|metal|vulkan"
                        + " for a GPU build)"));
    }

    /** A configured binary: described by a {@code runtime.json} beside it, else by its {@code --version}. */
    public static Lookup configured(Path binary, String origin) {
        if (!Files.isRegularFile(binary) || !Files.isExecutable(binary)) {
            return new Lookup(null, binary + " (" + origin + ") is not an executable file");
        }
        Path manifest = binary.resolveSibling(RuntimeManifest.FILE_NAME);
        if (Files.isRegularFile(manifest)) {
            try {
                return new Lookup(fromManifest(binary, RuntimeManifest.read(manifest), origin), null);
            } catch (IOException e) {
                return new Lookup(null, "Cannot read " + manifest + ": " + e.getMessage());
            }
        }
        try {
            String key = binary.toRealPath() + "@" + Files.getLastModifiedTime(binary).toMillis();
            LlamaServerRuntime cached = VERSION_CACHE.get(key);
            if (cached == null) {
                cached = fromVersion(binary, origin);
                VERSION_CACHE.put(key, cached);
            }
            return new Lookup(cached, null);
        } catch (IOException e) {
            return new Lookup(null, binary + " (" + origin + ") does not answer --version: " + e.getMessage());
        }
    }

    /** The newest installed build under {@code runtimesDir} that has both its binary and its manifest. */
    public static Optional<LlamaServerRuntime> installed(Path runtimesDir) {
        if (!Files.isDirectory(runtimesDir)) {
            return Optional.empty();
        }
        try (Stream<Path> builds = Files.list(runtimesDir)) {
            return builds.filter(path -> BUILD_FOLDER.matcher(path.getFileName().toString()).matches())
                    .flatMap(LlamaServerLocator::installedBackends)
                    .max(Comparator.comparingInt(LlamaServerRuntime::build)
                            .thenComparing(runtime -> !"cpu".equals(runtime.backend())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Stream<LlamaServerRuntime> installedBackends(Path buildFolder) {
        try (Stream<Path> folders = Files.list(buildFolder)) {
            return folders.filter(path -> path.getFileName().toString().startsWith("build-"))
                    .map(path -> path.resolve("bin"))
                    .filter(bin -> Files.isExecutable(bin.resolve(binaryName()))
                            && Files.isRegularFile(bin.resolve(RuntimeManifest.FILE_NAME)))
                    .flatMap(bin -> {
                        try {
                            return Stream.of(fromManifest(bin.resolve(binaryName()),
                                    RuntimeManifest.read(bin.resolve(RuntimeManifest.FILE_NAME)),
                                    "installed by `" + INSTALL_COMMAND + "`"));
                        } catch (IOException e) {
                            return Stream.empty();
                        }
                    }).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }

    public static String binaryName() {
        return System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "llama-server.exe"
                : "llama-server";
    }

    private static LlamaServerRuntime fromManifest(Path binary, RuntimeManifest manifest, String origin) {
        return new LlamaServerRuntime(binary, manifest.build(), manifest.backend(), manifest.architectures(),
                manifest.cmakeFlags(), origin + " (described by its " + RuntimeManifest.FILE_NAME + ")");
    }

    /**
     * {@code llama-server --version} prints its build number and the backends it loaded. The architecture
     * list is not printed, so it stays unknown and every GGUF is tried.
     */
    private static LlamaServerRuntime fromVersion(Path binary, String origin) throws IOException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String output;
        try {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("no answer within 20 s");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        Matcher version = BUILD_NUMBER.matcher(output);
        if (process.exitValue() != 0 || !version.find()) {
            throw new IOException("exit code " + process.exitValue() + ", output: " + output.strip());
        }
        int build = Integer.parseInt(version.group(1) != null ? version.group(1) : version.group(2));
        return new LlamaServerRuntime(binary, build, backend(binary, output), List.of(),
                List.of(), origin + " (no " + RuntimeManifest.FILE_NAME + " beside it: architecture list unknown)");
    }

    /** The GPU backend library beside the binary (a shared build), else the backend its start-up output names. */
    private static String backend(Path binary, String versionOutput) throws IOException {
        try (Stream<Path> siblings = Files.list(binary.toAbsolutePath().getParent())) {
            List<String> names = siblings.map(path -> path.getFileName().toString()).toList();
            for (String backend : List.of("cuda", "metal", "vulkan")) {
                if (names.stream().anyMatch(name -> name.startsWith("libggml-" + backend)
                        || name.startsWith("ggml-" + backend))) {
                    return backend;
                }
            }
        }
        String lower = versionOutput.toLowerCase();
        return lower.contains("cuda") ? "cuda" : lower.contains("metal") ? "metal"
                : lower.contains("vulkan") ? "vulkan" : "cpu";
    }
}
