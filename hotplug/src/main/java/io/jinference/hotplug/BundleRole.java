package io.jinference.hotplug;

import io.jinference.api.EngineNamespace;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.NativeNamespace;
import org.osgi.framework.wiring.BundleRevision;

/**
 * What a bundle is to Jinference. An adapter declares an engine capability and can be swapped at run time; a
 * runtime holds native libraries, which a JVM loads into one class loader only, so it changes on restart.
 */
public enum BundleRole {
    ADAPTER,
    RUNTIME,
    LIBRARY;

    public static BundleRole of(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision != null && !revision.getDeclaredCapabilities(EngineNamespace.NAMESPACE).isEmpty()) {
            return ADAPTER;
        }
        boolean needsNatives = revision != null
                && !revision.getDeclaredRequirements(NativeNamespace.NATIVE_NAMESPACE).isEmpty();
        if (needsNatives || bundle.getHeaders().get(Constants.BUNDLE_NATIVECODE) != null) {
            return RUNTIME;
        }
        return LIBRARY;
    }

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
