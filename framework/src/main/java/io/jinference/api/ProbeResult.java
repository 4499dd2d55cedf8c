package io.jinference.api;

import java.util.List;
import java.util.Map;

/**
 * What an engine's runtime probe found on this host.
 *
 * @param available true when the engine can load models here
 * @param reason why not (usually {@link ReasonCode#RUNTIME_MISSING}, with the command that would fix it); null when available
 * @param runtime what was found, e.g. "llama.cpp b4916 (de.kherud:llama 4.2.0)" or "vllm 0.11.0 (CPU build)"
 * @param extraCapabilities capability values the installed runtime adds to the manifest's, keyed by attribute
 *        name: e.g. {@code devices=[cpu]} when a CPU build of vLLM is installed, {@code os=[linux]} for MLX on Linux
 * @param note a sentence for the explanation when extra capabilities were added; null otherwise
 */
public record ProbeResult(boolean available, Reason reason, String runtime,
        Map<String, List<String>> extraCapabilities, String note) {

    public ProbeResult {
        extraCapabilities = extraCapabilities == null ? Map.of() : Map.copyOf(extraCapabilities);
    }

    public static ProbeResult available(String runtime) {
        return new ProbeResult(true, null, runtime, Map.of(), null);
    }

    public static ProbeResult available(String runtime, Map<String, List<String>> extraCapabilities, String note) {
        return new ProbeResult(true, null, runtime, extraCapabilities, note);
    }

    public static ProbeResult missing(String message) {
        return new ProbeResult(false, new Reason(ReasonCode.RUNTIME_MISSING, message), null, Map.of(), null);
    }
}
