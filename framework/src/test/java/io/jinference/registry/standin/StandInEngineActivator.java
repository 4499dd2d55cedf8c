package io.jinference.registry.standin;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * Activator of the test engine bundles: registers a {@link StandInEngine} from the bundle's own context, so the service
 * belongs to the engine's bundle exactly as a real engine's does. Its name is the bundle's {@code X-StandIn-Engine}.
 */
public final class StandInEngineActivator implements BundleActivator {
    private ServiceRegistration<InferenceEngine> registration;

    @Override
    public void start(BundleContext context) {
        StandInEngine engine = new StandInEngine(context.getBundle().getHeaders());
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EngineNamespace.SERVICE_ENGINE, engine.name());
        registration = context.registerService(InferenceEngine.class, engine, properties);
    }

    @Override
    public void stop(BundleContext context) {
        registration.unregister();
    }
}
