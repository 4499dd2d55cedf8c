package io.jinference.hotplug;

import java.util.function.LongConsumer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Runs a callback while an engine adapter bundle is stopping, before its services go away, whatever stops it: a
 * REST update or removal, a jar replaced or deleted in the watched folder, or a shutdown. The launcher passes the
 * model manager's "drain and stop this engine's models", so no model is left running on a vanished engine.
 */
public final class EngineStopGuard implements SynchronousBundleListener, AutoCloseable {

    private final BundleContext context;
    private final LongConsumer beforeEngineStops;

    private EngineStopGuard(BundleContext context, LongConsumer beforeEngineStops) {
        this.context = context;
        this.beforeEngineStops = beforeEngineStops;
    }

    /** Starts guarding; {@code beforeEngineStops} receives the id of the stopping bundle. */
    public static EngineStopGuard open(BundleContext context, LongConsumer beforeEngineStops) {
        EngineStopGuard guard = new EngineStopGuard(context, beforeEngineStops);
        context.addBundleListener(guard);
        return guard;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle bundle = event.getBundle();
        if (event.getType() == BundleEvent.STOPPING && BundleRole.of(bundle) == BundleRole.ADAPTER) {
            beforeEngineStops.accept(bundle.getBundleId());
        }
    }

    @Override
    public void close() {
        context.removeBundleListener(this);
    }
}
