package io.jinference.registry;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** A real Felix for tests, exporting io.jinference.api from the system bundle as the launcher does (DESIGN "Host outside"). */
final class EmbeddedFelix implements AutoCloseable {
    private final Framework framework;

    EmbeddedFelix(Path storage) throws BundleException {
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.jinference.api;version=1.1.0"));
        framework.start();
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle install(File jar) throws BundleException {
        return context().installBundle(jar.toURI().toString());
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
