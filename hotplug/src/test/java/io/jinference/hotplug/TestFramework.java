package io.jinference.hotplug;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/** A real Felix for one test, exporting the engine API from the system bundle as the launcher does. */
final class TestFramework implements AutoCloseable {

    private final Framework framework;

    TestFramework(Path storage) throws Exception {
        this(storage, Map.of());
    }

    /** With more framework properties, such as FileInstall's. */
    TestFramework(Path storage, Map<String, String> properties) throws Exception {
        Map<String, String> configuration = new HashMap<>(properties);
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        configuration.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, io.jinference.host.ApiExports.apiPackages());
        framework = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow().newFramework(configuration);
        framework.start();
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(30_000);
    }
}
