package io.jinference.tck;

import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.ProbeResult;
import java.util.List;

/** The runtime probe answers (never throws), explains a "no", and is cheap and stable to repeat. */
final class ProbeChecks {

    private ProbeChecks() {
    }

    static List<Check> of(InferenceEngine engine, HostProfile host) {
        return List.of(
                new Check("probe on this host answers consistently", () -> {
                    ProbeResult first = wellFormed(engine.probe(host), "this host");
                    ProbeResult second = wellFormed(engine.probe(host), "this host (again)");
                    Expect.isTrue(first.available() == second.available(),
                            "Two probes of the same host disagree: " + first + " then " + second);
                    Expect.isTrue(first.available(), "The engine is not available on this host, so the other "
                            + "checks cannot run: " + first.reason());
                }),
                new Check("probe of a foreign host answers instead of throwing",
                        () -> wellFormed(engine.probe(TckHost.foreign()), "a foreign host")));
    }

    private static ProbeResult wellFormed(ProbeResult result, String host) {
        Expect.isTrue(result != null, "probe(" + host + ") returned null");
        if (result.available()) {
            Expect.isTrue(result.reason() == null, "probe(" + host + ") is available but carries a reason: "
                    + result.reason());
            Expect.isTrue(result.runtime() != null && !result.runtime().isBlank(),
                    "probe(" + host + ") is available but does not say which runtime it found");
        } else {
            Expect.isTrue(result.reason() != null, "probe(" + host + ") says unavailable without a reason");
        }
        return result;
    }
}
