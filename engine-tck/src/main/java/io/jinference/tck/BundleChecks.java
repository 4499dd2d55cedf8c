package io.jinference.tck;

import io.jinference.api.InferenceEngine;
import java.util.List;
import org.osgi.framework.Bundle;

/** What hot-plugging relies on: the service is tagged with its engine name and comes and goes with its bundle. */
final class BundleChecks {

    private BundleChecks() {
    }

    static Check serviceProperty(EmbeddedFramework framework, InferenceEngine engine) {
        return new Check("engine service carries the 'engine' service property", () -> {
            List<Object> names = framework.engineServiceNames();
            Expect.isTrue(names.contains(engine.name()), "The InferenceEngine service must be registered with the "
                    + "service property engine=" + engine.name() + "; registered with " + names);
        });
    }

    /** Stops and restarts the bundle, then shuts the framework down; this is the last check of a run. */
    static Check stopAndRestart(EmbeddedFramework framework) {
        return new Check("stopping the bundle withdraws the engine and a restart brings it back", () -> {
            try {
                Bundle bundle = framework.engineBundle();
                bundle.stop();
                Expect.isTrue(framework.registeredEngines() == 0, "After the bundle stopped, "
                        + framework.registeredEngines() + " engine service(s) are still registered");
                bundle.start();
                Expect.isTrue(framework.awaitEngine() != null, "The restarted bundle registered no engine");
                bundle.stop();
            } finally {
                framework.close();
            }
        });
    }
}
