package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import io.jinference.api.InferenceEngine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Every installed engine: the bundles declaring {@code io.jinference.engine} capabilities (in any state, INSTALLED
 * included, so engines can be chosen before they are started) and the {@link InferenceEngine} services they register.
 * Bundle updates are picked up: descriptors are re-read for every new bundle revision.
 */
public final class EngineRegistry implements AutoCloseable {
    private static final int ANY_INSTALLED_STATE =
            Bundle.INSTALLED | Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private final BundleContext context;
    private final Map<Long, List<EngineDescriptor>> engines = new ConcurrentHashMap<>();
    private final BundleTracker<Bundle> bundles;
    private final ServiceTracker<InferenceEngine, InferenceEngine> services;

    public EngineRegistry(BundleContext context) {
        this.context = context;
        this.bundles = new BundleTracker<>(context, ANY_INSTALLED_STATE, new EngineBundles());
        this.services = new ServiceTracker<>(context, InferenceEngine.class, null);
    }

    public void open() {
        services.open(true);
        bundles.open();
    }

    @Override
    public void close() {
        bundles.close();
        services.close();
        engines.clear();
    }

    /** Every engine capability of every installed bundle, by engine name, then newest version first. */
    public List<EngineDescriptor> descriptors() {
        List<EngineDescriptor> all = new ArrayList<>();
        engines.values().forEach(all::addAll);
        all.sort(Comparator.comparing((EngineDescriptor d) -> d.engine().toLowerCase(java.util.Locale.ROOT))
                .thenComparing(EngineDescriptor::version, Comparator.reverseOrder())
                .thenComparingLong(EngineDescriptor::bundleId));
        return all;
    }

    /** The bundle that declared the descriptor, while it is still installed. */
    public Optional<Bundle> bundle(EngineDescriptor descriptor) {
        return Optional.ofNullable(context.getBundle(descriptor.bundleId()));
    }

    public boolean isActive(EngineDescriptor descriptor) {
        return bundle(descriptor).map(bundle -> bundle.getState() == Bundle.ACTIVE).orElse(false);
    }

    /**
     * The engine service registered by the descriptor's bundle under the same engine name (service property
     * {@value EngineNamespace#SERVICE_ENGINE}, or {@link InferenceEngine#name()} when the property is missing).
     */
    public Optional<InferenceEngine> service(EngineDescriptor descriptor) {
        ServiceReference<InferenceEngine>[] references = services.getServiceReferences();
        if (references == null) {
            return Optional.empty();
        }
        for (ServiceReference<InferenceEngine> reference : references) {
            if (reference.getBundle() == null || reference.getBundle().getBundleId() != descriptor.bundleId()) {
                continue;
            }
            InferenceEngine engine = services.getService(reference);
            Object property = reference.getProperty(EngineNamespace.SERVICE_ENGINE);
            String name = property != null ? property.toString() : engine == null ? null : engine.name();
            if (engine != null && descriptor.engine().equalsIgnoreCase(name)) {
                return Optional.of(engine);
            }
        }
        return Optional.empty();
    }

    /** Keeps {@link #engines} in step with installs, updates and uninstalls. */
    private final class EngineBundles implements BundleTrackerCustomizer<Bundle> {
        @Override
        public Bundle addingBundle(Bundle bundle, BundleEvent event) {
            List<EngineDescriptor> found = CapabilityReader.read(bundle);
            if (found.isEmpty()) {
                return null;
            }
            engines.put(bundle.getBundleId(), found);
            return bundle;
        }

        @Override
        public void modifiedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
            if (event != null && (event.getType() == BundleEvent.UPDATED || event.getType() == BundleEvent.UNRESOLVED)) {
                List<EngineDescriptor> found = CapabilityReader.read(bundle);
                if (found.isEmpty()) {
                    engines.remove(bundle.getBundleId());
                } else {
                    engines.put(bundle.getBundleId(), found);
                }
            }
        }

        @Override
        public void removedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
            engines.remove(bundle.getBundleId());
        }
    }
}
