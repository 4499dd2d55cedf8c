package io.jinference.runtime;

import java.util.function.Supplier;

/**
 * Runs calls into an engine with the thread context class loader set to the engine bundle's class loader, so that
 * libraries inside the bundle that discover things through the TCCL (ServiceLoader, JNI loaders) find their own.
 */
final class EngineClassLoader {
    private final ClassLoader loader;

    EngineClassLoader(ClassLoader loader) {
        this.loader = loader;
    }

    static EngineClassLoader of(Object engineObject) {
        return new EngineClassLoader(engineObject.getClass().getClassLoader());
    }

    <T> T call(Supplier<T> call) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return call.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
