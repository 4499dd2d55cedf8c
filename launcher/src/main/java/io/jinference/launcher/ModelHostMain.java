package io.jinference.launcher;

import io.jinference.launcher.rest.RestSecurity;
import io.jinference.launcher.rest.RestServer;
import io.jinference.modelhost.LoadFailureFile;
import io.jinference.modelhost.ModelHostSpec;
import io.jinference.modelhost.ModelHostSpecFile;
import io.jinference.process.ProcessSupervisor;
import io.jinference.registry.EngineDescriptor;
import io.jinference.runtime.ModelIsolation;
import io.jinference.runtime.ModelManager;
import io.jinference.template.ChatTemplateRenderer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model host: the child JVM that runs one model of an engine with native code, out of the server's process. It
 * wires the same pieces as the server (Felix, the registry, the model manager, the REST API) around only that
 * engine's bundles, loads the model the server resolved ({@code model-host.json}) in this process, and only then
 * serves on loopback, so that its {@code /status} answering means the model is ready. A model that cannot load
 * ends the process with the reason on stderr, which the server shows as the launch failure.
 */
public final class ModelHostMain {
    private static final Logger LOG = LoggerFactory.getLogger(ModelHostMain.class);
    /** Exit code for a model that cannot be loaded (a native abort exits with the signal's code instead). */
    static final int LOAD_FAILED = 3;

    private ModelHostMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 1) {
            System.err.println("usage: ModelHostMain <model-host.json>");
            System.exit(2);
        }
        Path specFile = Path.of(args[0]).toAbsolutePath();
        ModelHostSpec spec = ModelHostSpecFile.read(specFile);
        Path workDir = specFile.getParent();
        String uid = spec.request().modelUid();
        EngineWorld world = EngineWorld.startWithJars(spec.home(), workDir.resolve("felix-cache"), spec.bundles());
        // Its own supervisor root: the server's would reap the server's other children as leftovers.
        ModelManager models = new ModelManager(world.selector(), world.registry(), spec.host(), spec.home(),
                new ChatTemplateRenderer()::render, ModelManager.DEFAULT_DRAIN_TIMEOUT, ModelIsolation.IN_PROCESS,
                new ProcessSupervisor(workDir.resolve("model-host")));
        try {
            models.host(spec.request(), engine(world, spec), "chosen by the server that started this model host");
        } catch (RuntimeException e) {
            System.err.println("Model " + uid + " could not be loaded: " + e.getMessage());
            LoadFailureFile.write(workDir, e.getMessage() != null ? e.getMessage() : e.toString());
            models.close();
            world.close();
            System.exit(LOAD_FAILED);
        }
        // Loopback only, like the engine servers the server starts (llama-server, vLLM): no keys of its own; the
        // server in front checked the client's key, body limits and guards before forwarding.
        RestServer rest = RestServer.start("127.0.0.1", spec.port(), world.catalog(), world.selector(),
                world.registry(), spec.host(), models, routes -> { }, RestSecurity.open());
        LOG.info("Model host of {} serves on http://{}", uid, rest.address());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            rest.close();
            models.close();
            world.close();
            // The framework cache holds copies of the engine's bundles and its extracted natives: tens of MB that
            // would otherwise stay behind in the work folder of every model ever launched.
            deleteQuietly(workDir.resolve("felix-cache"));
        }, "jinference-model-host-shutdown"));
        new CountDownLatch(1).await();
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> tree = Files.walk(folder)) {
            tree.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Could not delete {}: {}", folder, e.toString());
        }
    }

    private static EngineDescriptor engine(EngineWorld world, ModelHostSpec spec) {
        return world.registry().descriptors().stream()
                .filter(descriptor -> world.registry().bundle(descriptor)
                        .filter(bundle -> spec.engineSymbolicName().equals(bundle.getSymbolicName())
                                && spec.engineBundleVersion().equals(bundle.getVersion().toString()))
                        .isPresent())
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("The model host's bundles hold no engine "
                        + spec.engineSymbolicName() + " " + spec.engineBundleVersion()));
    }
}
