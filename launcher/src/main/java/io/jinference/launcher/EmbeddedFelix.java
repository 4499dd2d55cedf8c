package io.jinference.launcher;

import io.jinference.host.ApiExports;
import io.jinference.hotplug.FileInstallRegistration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apache Felix embedded in the host: exports the Jinference API from the system bundle, then installs and starts
 * every bundle jar of the given folders in order. A bundle that fails to start is logged and left installed (the
 * registry then reports its engine as not active). FileInstall is installed but left to {@link EngineHotplug} to
 * start: started before the folder installer is registered, it would install the watched folder's jars itself.
 */
final class EmbeddedFelix implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedFelix.class);
    private static final long STOP_TIMEOUT_MILLIS = 30_000;
    /** Felix's switch for its URL handler service ({@code FelixConstants.SERVICE_URLHANDLERS_PROP}). */
    private static final String URL_HANDLERS = "felix.service.urlhandlers";

    private final Framework framework;

    private EmbeddedFelix(Framework framework) {
        this.framework = framework;
    }

    /**
     * Starts the framework with its cache in {@code storage} (cleaned on start), the given extra framework
     * {@code properties} (read by bundles through their context) and the bundles of {@code folders}.
     */
    static EmbeddedFelix start(Path storage, Map<String, String> properties, List<Path> folders) {
        return startWithJars(storage, properties, folders.stream().flatMap(folder -> jars(folder).stream()).toList());
    }

    /** As {@link #start}, installing exactly these bundle jars in order. */
    static EmbeddedFelix startWithJars(Path storage, Map<String, String> properties, List<Path> jars) {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new IllegalStateException("No OSGi framework on the class path"));
        Map<String, String> configuration = new HashMap<>(properties);
        configuration.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        configuration.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        configuration.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, ApiExports.systemPackagesExtra());
        // No OSGi URL handler service: Felix would install a JVM-wide URL stream handler factory that puts a proxy,
        // called by reflection, in front of every http: connection the JVM opens; the proxy's upstream request took
        // about 20 µs of CPU more each (docs/benchmarks.md). No bundle here registers URL handlers, and bundle:
        // resource URLs carry Felix's own handler without it.
        configuration.put(URL_HANDLERS, "false");
        Framework framework = factory.newFramework(configuration);
        try {
            framework.start();
        } catch (BundleException e) {
            throw new IllegalStateException("Felix did not start: " + e.getMessage(), e);
        }
        EmbeddedFelix felix = new EmbeddedFelix(framework);
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            felix.install(jar).ifPresent(installed::add);
        }
        installed.forEach(EmbeddedFelix::startQuietly);
        LOG.info("Felix {} started with {} bundles", framework.getVersion(), installed.size());
        return felix;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    private Optional<Bundle> install(Path jar) {
        try {
            return Optional.of(context().installBundle(jar.toUri().toString()));
        } catch (BundleException e) {
            LOG.error("Cannot install bundle {}: {}", jar, e.getMessage());
            return Optional.empty();
        }
    }

    private static void startQuietly(Bundle bundle) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null
                || FileInstallRegistration.SYMBOLIC_NAME.equals(bundle.getSymbolicName())) {
            return;
        }
        try {
            bundle.start();
        } catch (BundleException | RuntimeException e) {
            LOG.error("Bundle {} {} did not start and stays installed: {}", bundle.getSymbolicName(),
                    bundle.getVersion(), e.getMessage());
        }
    }

    private static List<Path> jars(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list bundles in " + folder, e);
        }
    }

    @Override
    public void close() {
        try {
            framework.stop();
            FrameworkEvent event = framework.waitForStop(STOP_TIMEOUT_MILLIS);
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                LOG.warn("Felix did not stop within {} ms", STOP_TIMEOUT_MILLIS);
            } else {
                LOG.info("Felix stopped");
            }
        } catch (BundleException e) {
            LOG.warn("Stopping Felix failed: {}", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
