package io.jinference.engine.llamacpp;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.io.File;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/** Registers the llama.cpp {@link InferenceEngine} service while the adapter bundle is active. */
public final class Activator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EngineNamespace.SERVICE_ENGINE, LlamaCppEngine.NAME);
        context.registerService(InferenceEngine.class, new LlamaCppEngine(nativeDir(context)), properties);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service; the host terminates the models it loaded through it
    }

    /** The bundle's persistent data area, which survives updates of this bundle; a temp folder without one. */
    private static Path nativeDir(BundleContext context) {
        File data = context.getDataFile("native");
        return data != null ? data.toPath()
                : Path.of(System.getProperty("java.io.tmpdir"), "jinference-llamacpp-native");
    }
}
