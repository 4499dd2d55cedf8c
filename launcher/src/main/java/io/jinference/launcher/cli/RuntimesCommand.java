package io.jinference.launcher.cli;

import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeInstaller;
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

@Command(name = "runtimes", description = "Manage the Python runtimes of the managed-server engines (vLLM, SGLang, MLX)",
        subcommands = RuntimesCommand.Install.class)
public final class RuntimesCommand {

    @Command(name = "install", description = "Create <home>/runtimes/<engine> and install the packages the engine"
            + " bundle pins, showing pip's progress")
    static final class Install implements Callable<Integer> {
        @Parameters(index = "0", description = "vllm, sglang or mlx")
        String engine;
        @Option(names = "--python", defaultValue = "python3", description = "The Python that creates the environment")
        String python;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Optional<List<String>> requirements = pinnedRequirements(engine);
            if (requirements.isEmpty()) {
                spec.commandLine().getErr().println("No engine bundle in " + Distribution.locate().root()
                        + "/engines pins a runtime named '" + engine + "' (try vllm, sglang or mlx)");
                return 2;
            }
            out.println("Installing the " + engine + " runtime into " + PythonRuntime.managedVenv(engine));
            new RuntimeInstaller(line -> {
                out.println(line);
                out.flush();
            }).install(engine, requirements.get(), python);
            return 0;
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
