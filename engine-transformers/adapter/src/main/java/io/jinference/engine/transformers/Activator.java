package io.jinference.engine.transformers;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.nio.file.Path;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** Registers the engine service; the Jinference home comes from the framework property {@code jinference.home}. */
public final class Activator implements BundleActivator {
    private TransformersEngine engine;
    private ServiceRegistration<InferenceEngine> registration;

    @Override
    public void start(BundleContext context) {
        engine = new TransformersEngine(home(context));
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(EngineNamespace.SERVICE_ENGINE, TransformersEngine.NAME);
        registration = context.registerService(InferenceEngine.class, engine, properties);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
        engine.close();
    }

    static Path home(BundleContext context) {
        String home = context.getProperty("jinference.home");
        if (home == null || home.isBlank()) {
            home = System.getenv("JINFERENCE_HOME");
        }
        return home == null || home.isBlank() ? Path.of(System.getProperty("user.home"), ".jinference") : Path.of(home);
    }
}
