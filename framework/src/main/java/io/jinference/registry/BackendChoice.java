package io.jinference.registry;

import io.jinference.api.Reason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The part of a choice's "why" that concerns an engine with several backends (llama.cpp: llama-server or in-JVM):
 * which backend won and what the others lacked. Backends of one engine are ranked by capability priority, so the
 * server backend (60) wins over the in-JVM one (50) wherever its runtime probe finds llama-server. A backend may say
 * why it ranks higher in its capability attribute {@value #PREFERENCE} (the Transformers Python backend quotes the
 * measured speeds), which is then quoted where it wins over a backend that could run the model too.
 */
final class BackendChoice {
    /** Capability attribute: a sentence saying why this backend is preferred over the engine's others. */
    static final String PREFERENCE = "backend.preference";

    private BackendChoice() {
    }

    /** "" for an engine with one backend; else a sentence starting with "; ". */
    static String why(EngineCandidate chosen, SelectionRequest request, List<EngineCandidate> candidates,
            EngineDescriptor chosenDescriptor) {
        if (chosen.backend() == null) {
            return "";
        }
        if (request.backend() != null && !request.backend().isBlank()) {
            return "; backend " + chosen.backend() + " as pinned by the request (" + SelectionRequest.BACKEND_KEY + ")";
        }
        List<EngineCandidate> others = candidates.stream()
                .filter(other -> other != chosen && other.engine().equalsIgnoreCase(chosen.engine())
                        && other.backend() != null && !other.backend().equalsIgnoreCase(chosen.backend()))
                .toList();
        if (others.isEmpty()) {
            return "; backend " + chosen.backend() + ", the only one of " + chosen.engine() + " installed";
        }
        Object preference = chosenDescriptor.attributes().get(PREFERENCE);
        String reason = preference == null || preference.toString().isBlank() ? "" : ": " + preference.toString().trim();
        String rest = others.stream().map(other -> lost(other, reason)).collect(Collectors.joining("; "));
        return "; backend " + chosen.backend() + " (" + rest + ")";
    }

    private static String lost(EngineCandidate other, String reason) {
        if (other.available()) {
            return "preferred over the " + other.backend() + " backend, which could run it too, by capability priority"
                    + reason;
        }
        return "the " + other.backend() + " backend cannot: "
                + other.reasons().stream().map(Reason::toString).collect(Collectors.joining("; "));
    }
}
