package io.jinference.launcher;

import io.jinference.runtime.ModelManager;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Makes models follow their engine bundle. Synchronous, so that on {@code STOPPING} (stop, update, uninstall) the
 * models are drained and closed while the engine's service still works: the framework waits for this listener
 * before it stops the bundle. On {@code STARTED} models that wait for the bundle are relaunched; on
 * {@code UNINSTALLED} they are forgotten.
 */
final class EngineBundleModels implements SynchronousBundleListener {
    private final ModelManager models;

    EngineBundleModels(ModelManager models) {
        this.models = models;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        long bundleId = event.getBundle().getBundleId();
        switch (event.getType()) {
            case BundleEvent.STOPPING -> models.drainEngineModels(bundleId);
            case BundleEvent.STARTED -> models.engineStarted(bundleId);
            case BundleEvent.UNINSTALLED -> models.engineRemoved(bundleId);
            default -> {
                // installs, resolves and updates change no model: a stop always comes first
            }
        }
    }
}
