package io.jinference.engine.transformers;

import ai.djl.engine.Engine;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The one place that touches DJL's process-wide switches. DJL reads them with {@code Utils.getEnvOrSystemProperty}
 * (environment first, then system property), so system properties set before the first DJL call are enough:
 * offline mode (never download natives or models), the tracking opt-out (no EC2 metadata or telemetry calls) and
 * caches under the Jinference home instead of {@code ~/.djl.ai}.
 */
final class DjlRuntime {
    static final String ENGINE_NAME = "PyTorch";

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

    /** A one-line description for probes and model descriptions. */
    static String describe() {
        Engine engine = engine();
        return "DJL " + Engine.getDjlVersion() + ", libtorch " + engine.getVersion() + " (cpu)";
    }
}
