package io.jinference.engine.sglang;

import io.jinference.api.ProbeResult;
import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeLookup;
import java.util.List;
import java.util.Map;

/** Judges an installed SGLang (it has no CPU build on PyPI, so the manifest's CUDA gate stands). */
final class SglangProbe {
    static final RuntimeLookup LOOKUP = new RuntimeLookup("sglang", List.of("sglang"));

    private SglangProbe() {
    }

    static ProbeResult judge(PythonRuntime runtime, Map<String, String> versions) {
        String version = versions.get("sglang");
        return version == null ? ProbeResult.missing(LOOKUP.installHint(runtime, "sglang"))
                : ProbeResult.available("sglang " + version + " in " + runtime.python());
    }
}
