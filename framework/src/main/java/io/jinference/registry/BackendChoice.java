package io.jinference.registry;

import io.jinference.api.Reason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The part of a choice's "why" that concerns an engine with several backends (llama.cpp: llama-server or in-JVM):
 * which backend won and what the others lacked. Backends of one engine are ranked by capability priority, so the
 * server backend (60) wins over the in-JVM one (50) wherever its runtime probe finds llama-server.
 */
final class BackendChoice {
    private BackendChoice() {
    }

    /** "" for an engine with one backend; else a sentence starting with "; ". */
    static String why(EngineCandidate chosen, SelectionRequest request, List<EngineCandidate> candidates) {
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
        String rest = others.stream().map(BackendChoice::lost).collect(Collectors.joining("; "));
        return "; backend " + chosen.backend() + " (" + rest + ")";
    }

    private static String lost(EngineCandidate other) {
        if (other.available()) {
            return "preferred over the " + other.backend() + " backend, which could run it too, by capability priority";
        }
        return "the " + other.backend() + " backend cannot: "
                + other.reasons().stream().map(Reason::toString).collect(Collectors.joining("; "));
    }
}
