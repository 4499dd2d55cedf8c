package io.jinference.engine.transformers.python;

import io.jinference.api.ProbeResult;
import io.jinference.engine.support.PythonRuntime;
import io.jinference.engine.support.RuntimeLookup;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges a Python for the backend: transformers (at least {@value #MINIMUM}) and torch installed; the architectures it
 * can run come from its {@code AutoModelForCausalLM} mapping, and a CUDA build of torch with accelerate adds
 * {@code devices=cuda}.
 */
final class PythonTransformersProbe {
    static final RuntimeLookup LOOKUP = new RuntimeLookup("transformers", List.of("transformers", "torch",
            "accelerate"));
    /** The oldest transformers the server script runs on: {@code generate(use_model_defaults=…)}, {@code dtype}. */
    static final String MINIMUM = "4.53";

    private static final Pattern MAJOR_MINOR = Pattern.compile("^(\\d+)\\.(\\d+)");

    private PythonTransformersProbe() {
    }

    static ProbeResult judge(PythonRuntime runtime, Map<String, String> versions) {
        String transformers = versions.get("transformers");
        if (transformers == null) {
            return ProbeResult.missing(LOOKUP.installHint(runtime, "transformers"));
        }
        if (versions.get("torch") == null) {
            return ProbeResult.missing(LOOKUP.installHint(runtime, "torch"));
        }
        if (!atLeast(transformers, MINIMUM)) {
            return ProbeResult.missing("transformers " + transformers + " in " + runtime.python() + " is older than "
                    + MINIMUM + ", which the Python backend needs: run `jinf runtimes install transformers`");
        }
        CausalLmArchitectures.Found found;
        try {
            found = CausalLmArchitectures.of(runtime, versions);
        } catch (IllegalStateException e) {
            return ProbeResult.missing(e.getMessage());
        }
        String described = "transformers " + transformers + ", torch " + versions.get("torch")
                + (versions.containsKey("accelerate") ? ", accelerate " + versions.get("accelerate") : "") + " in "
                + runtime.python() + " (" + runtime.origin() + ")";
        Map<String, List<String>> extras = new LinkedHashMap<>();
        extras.put("architectures", found.architectures());
        String note = "the installed transformers' AutoModelForCausalLM mapping names " + found.architectures().size()
                + " architectures";
        if (found.cudaVersion() != null && versions.containsKey("accelerate")) {
            extras.put("devices", List.of("cuda"));
            note += "; torch is built for CUDA " + found.cudaVersion() + " and accelerate is installed, so it also"
                    + " runs on CUDA GPUs (device_map)";
        } else if (found.cudaVersion() != null) {
            note += "; torch is built for CUDA " + found.cudaVersion() + ", but without accelerate (device_map) the"
                    + " backend runs on the CPU only";
        }
        return ProbeResult.available(described, extras, note);
    }

    static boolean atLeast(String version, String minimum) {
        Matcher have = MAJOR_MINOR.matcher(version);
        Matcher need = MAJOR_MINOR.matcher(minimum);
        if (!have.find() || !need.find()) {
            return false;
        }
        int major = Integer.parseInt(have.group(1));
        int wantedMajor = Integer.parseInt(need.group(1));
        return major != wantedMajor ? major > wantedMajor
                : Integer.parseInt(have.group(2)) >= Integer.parseInt(need.group(2));
    }
}
