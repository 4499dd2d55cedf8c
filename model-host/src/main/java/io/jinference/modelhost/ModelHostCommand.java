package io.jinference.modelhost;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How to start a model host: the server's own {@code java} and class path (the distribution's {@code lib/}), and the
 * main class that wires Felix and the REST server around one model.
 *
 * @param jvmOptions options for the model host's JVM (memory, logging)
 */
public record ModelHostCommand(Path java, String classPath, String mainClass, List<String> jvmOptions) {

    public ModelHostCommand {
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** The running JVM's {@code java} and class path, with {@code mainClass} as the model host's entry point. */
    public static ModelHostCommand ofThisJvm(String mainClass, List<String> jvmOptions) {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java"));
        return new ModelHostCommand(java, System.getProperty("java.class.path"), mainClass, jvmOptions);
    }

    /** The command line that serves the model described by {@code specFile}. */
    List<String> argv(Path specFile) {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        argv.addAll(jvmOptions);
        argv.add(mainClass);
        argv.add(specFile.toString());
        return argv;
    }

    /**
     * The class path travels in {@code CLASSPATH}, not on the command line: a distribution's class path is dozens of
     * jars, and the command line is logged with every start, right above the lines a failure shows.
     */
    Map<String, String> environment() {
        return Map.of("CLASSPATH", classPath);
    }
}
