package io.jinference.modelhost;

import io.jinference.api.EngineNamespace;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.namespace.NativeNamespace;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;

/**
 * What an engine bundle is wired to, read from the running framework: the bundles a model host needs (the adapter
 * and every bundle it is wired to, transitively: its runtime bundle, SCR for a Declarative Services engine), and
 * whether any of them carries native code.
 */
final class EngineWiring {
    /**
     * Attribute of the {@code io.jinference.engine} capability: {@code isolation=in-process} declares a pure-Java
     * engine safe to run in the server's own process.
     */
    static final String ISOLATION_ATTRIBUTE = "isolation";
    static final String IN_PROCESS = "in-process";

    private EngineWiring() {
    }

    /**
     * Whether models of this engine bundle belong in a model host: it or a bundle it is wired to needs native code
     * ({@code osgi.native} requirement or {@code Bundle-NativeCode}), unless the engine declares itself safe
     * in-process.
     */
    static boolean needsModelHost(Bundle engine) {
        if (declaresInProcess(engine)) {
            return false;
        }
        return closure(engine).stream().anyMatch(EngineWiring::carriesNatives);
    }

    /** The engine bundle first, then every bundle it is wired to, transitively; never the system bundle. */
    static List<Bundle> closure(Bundle engine) {
        Set<Bundle> seen = new LinkedHashSet<>();
        Deque<Bundle> pending = new ArrayDeque<>(List.of(engine));
        while (!pending.isEmpty()) {
            Bundle bundle = pending.pop();
            if (bundle.getBundleId() == 0 || !seen.add(bundle)) {
                continue;
            }
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring == null) {
                continue;
            }
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                pending.add(wire.getProvider().getBundle());
            }
        }
        return new ArrayList<>(seen);
    }

    private static boolean declaresInProcess(Bundle engine) {
        BundleRevision revision = engine.adapt(BundleRevision.class);
        return revision != null && revision.getDeclaredCapabilities(EngineNamespace.NAMESPACE).stream()
                .anyMatch(capability -> IN_PROCESS.equals(capability.getAttributes().get(ISOLATION_ATTRIBUTE)));
    }

    private static boolean carriesNatives(Bundle bundle) {
        if (bundle.getHeaders().get(Constants.BUNDLE_NATIVECODE) != null) {
            return true;
        }
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && !revision.getDeclaredRequirements(NativeNamespace.NATIVE_NAMESPACE).isEmpty();
    }
}
