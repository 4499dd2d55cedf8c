package io.jinference.tck;

import io.jinference.hotplug.EngineCapability;
import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * A real Felix in this JVM, set up the way the Jinference launcher sets it up: the engine API is exported by the
 * system bundle (so the test and the bundle share its classes) and an engine bundle is installed from its jar.
 */
final class EmbeddedFramework implements AutoCloseable {

    private static final long SERVICE_TIMEOUT_MS = 30_000;

    private final Framework framework;
    private final Bundle engineBundle;
    private final ServiceTracker<InferenceEngine, InferenceEngine> engines;

    private EmbeddedFramework(Framework framework, Bundle engineBundle) {
        this.framework = framework;
        this.engineBundle = engineBundle;
        this.engines = new ServiceTracker<>(framework.getBundleContext(), InferenceEngine.class, null);
        engines.open();
    }

    /** Starts a framework, installs and starts the support bundles and then the engine bundle. */
    static EmbeddedFramework start(Path engineJar, List<Path> supportBundles) {
        Framework framework = newFramework();
        try {
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : supportBundles) {
                installed.add(install(framework, jar));
            }
            Bundle engine = install(framework, engineJar);
            installed.add(engine);
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    bundle.start();
                }
            }
            return new EmbeddedFramework(framework, engine);
        } catch (BundleException | RuntimeException e) {
            stop(framework);
            throw new AssertionError("The engine bundle " + engineJar.getFileName()
                    + " does not install and start in Felix: " + e.getMessage(), e);
        }
    }

    Bundle engineBundle() {
        return engineBundle;
    }

    /** Each {@code io.jinference.engine} capability of the engine bundle, typed by the framework's header parser. */
    List<EngineCapability> declaredCapabilities() {
        return engineBundle.adapt(BundleRevision.class).getDeclaredCapabilities(EngineNamespace.NAMESPACE).stream()
                .map(capability -> new EngineCapability(capability.getAttributes()))
                .toList();
    }

    /** The engine service the bundle registered, waiting for it to appear (activators and DS may be asynchronous). */
    InferenceEngine awaitEngine() {
        try {
            InferenceEngine engine = engines.waitForService(SERVICE_TIMEOUT_MS);
            if (engine == null) {
                throw new AssertionError("The bundle " + engineBundle.getSymbolicName() + " registered no "
                        + InferenceEngine.class.getName() + " service within " + SERVICE_TIMEOUT_MS + " ms");
            }
            return engine;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the engine service", e);
        }
    }

    /** The {@code engine} property of every registered engine service. */
    List<Object> engineServiceNames() {
        var references = engines.getServiceReferences();
        if (references == null) {
            return List.of();
        }
        List<Object> names = new ArrayList<>();
        for (var reference : references) {
            names.add(reference.getProperty(EngineNamespace.SERVICE_ENGINE));
        }
        return names;
    }

    int registeredEngines() {
        return engines.size();
    }

    @Override
    public void close() {
        engines.close();
        stop(framework);
    }

    private static Bundle install(Framework framework, Path jar) throws BundleException {
        return framework.getBundleContext().installBundle(jar.toUri().toString());
    }

    private static Framework newFramework() {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, temporaryStorage().toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        // The API version engines built against this framework import (the package's @Version).
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, io.jinference.host.ApiExports.apiPackages());
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new AssertionError("No OSGi framework (Felix) on the test class path"));
        Framework framework = factory.newFramework(config);
        try {
            framework.start();
        } catch (BundleException e) {
            throw new AssertionError("Felix did not start: " + e.getMessage(), e);
        }
        return framework;
    }

    private static Path temporaryStorage() {
        try {
            return Files.createTempDirectory("jinference-tck-felix");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void stop(Framework framework) {
        try {
            framework.stop();
            framework.waitForStop(TimeUnit.SECONDS.toMillis(30));
        } catch (BundleException e) {
            throw new AssertionError("Felix did not stop: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
