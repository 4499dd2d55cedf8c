package io.jinference.engine.transformers;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The one place that touches DJL's process-wide switches. DJL reads them with {@code Utils.getEnvOrSystemProperty}
 * (environment first, then system property), so system properties set before the first DJL call are enough:
 * offline mode (never download natives or models), the tracking opt-out (no EC2 metadata or telemetry calls) and
 * caches under the Jinference home instead of {@code ~/.djl.ai}.
 */
final class DjlRuntime {
    static final String ENGINE_NAME = "PyTorch";
    /** What pytorch-native-cpu says about the libtorch it carries (version, flavor, libraries). */
    private static final String NATIVE_PROPERTIES = "native/lib/pytorch.properties";

    private DjlRuntime() {
    }

    /** Sets DJL's switches unless the operator already set them; idempotent. */
    static synchronized void configure(Path home) {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        Path cache = home.resolve("cache").resolve("djl");
        setIfAbsent("DJL_CACHE_DIR", cache.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cache.resolve("engines").toString());
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getenv(key) == null && System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Runs a DJL call with the thread context class loader set to DJL's own loader: DJL finds its engines with
     * {@code ServiceLoader} on the context loader, which inside OSGi is not the runtime bundle's.
     */
    static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(Engine.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * {@link #call} on a new thread that ends with the call; its error is thrown here. libtorch's parallel operations
     * run on OpenMP (libgomp), which gives every thread that enters a parallel region a pool of worker threads of its
     * own, kept until that thread ends. While libgomp manages more threads than there are cores, it all but stops
     * spin-waiting between regions, so every one of the hundreds of regions of a decoding step waits for its workers
     * to be woken: with 2 threads on 2 cores, a model loaded on a thread that lives on decoded on its scheduler thread
     * at 19-20 tokens/s instead of 28-32 (135M shape). Work done once, such as loading, runs here so that the
     * scheduler's pool stays the only one.
     */
    static <T> T callOnPassingThread(Supplier<T> action) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            try {
                result.set(call(action));
            } catch (RuntimeException | Error e) {
                failure.set(e);
            }
        }, "djl-" + Thread.currentThread().getName());
        thread.start();
        Threads.joinUninterruptibly(thread);
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Loads libtorch (extracting it into the cache on first use) and returns the engine. */
    static Engine engine() {
        return call(() -> Engine.getEngine(ENGINE_NAME));
    }

    /** A one-line description for model descriptions, from the loaded engine. */
    static String describe() {
        Engine engine = engine();
        return "DJL " + Engine.getDjlVersion() + ", libtorch " + engine.getVersion() + " (cpu)";
    }

    /**
     * The same description without loading libtorch: from the properties of the bundled natives. The server answers
     * probes this way and leaves the loading to the model host, so that no engine native code enters its process.
     *
     * @throws IllegalStateException when the runtime bundle holds no libtorch for this host
     */
    static String describePresent() {
        Properties natives = new Properties();
        try (InputStream in = Engine.class.getClassLoader().getResourceAsStream(NATIVE_PROPERTIES)) {
            if (in == null) {
                throw new IllegalStateException("the runtime bundle holds no libtorch (" + NATIVE_PROPERTIES + ")");
            }
            natives.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + NATIVE_PROPERTIES + ": " + e.getMessage(), e);
        }
        String version = natives.getProperty("version", "?").split("-", 2)[0];
        // Engine's class initialisation finds DJL's engines through the context class loader, so it must be DJL's.
        return "DJL " + call(Engine::getDjlVersion) + ", libtorch " + version + " (" + natives.getProperty("flavor", "?")
                + ")";
    }
}
