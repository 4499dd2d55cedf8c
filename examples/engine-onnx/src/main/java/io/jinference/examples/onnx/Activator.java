package io.jinference.examples.onnx;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers the engine service; the framework withdraws it when the bundle stops. */
public final class Activator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EngineNamespace.SERVICE_ENGINE, OnnxEngine.NAME);
        context.registerService(InferenceEngine.class, new OnnxEngine(), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // The framework unregisters the service; models loaded from it are stopped by the host before this.
    }
}
