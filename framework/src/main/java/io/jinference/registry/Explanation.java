package io.jinference.registry;

import io.jinference.api.HostProfile;
import io.jinference.api.ModelFamily;
import io.jinference.api.Reason;
import io.jinference.host.HostProfiles;
import java.util.List;
import java.util.stream.Collectors;

/** The readable text of a decision: the verdict, one line per engine (what it can run or why not), the policy. */
final class Explanation {
    private Explanation() {
    }

    /** @param choice null when no engine can run the request */
    static String of(ModelFamily family, SelectionRequest request, HostProfile host, List<EngineCandidate> candidates,
            Choice choice, SelectionPolicy policy) {
        StringBuilder text = new StringBuilder();
        String wanted = family.name() + criterion(" format", request.format()) + criterion(" size", request.size())
                + criterion(" quantization", request.quantization());
        if (choice != null) {
            text.append("Chose ").append(choice.why());
        } else if (candidates.isEmpty()) {
            text.append("No engine bundle").append(request.engine() == null ? "" : " named " + request.engine())
                    .append(request.engineVersion() == null ? "" : " at version " + request.engineVersion())
                    .append(" is installed, so nothing can run ").append(wanted);
        } else {
            text.append("No installed engine can run ").append(wanted).append(" on ").append(HostProfiles.describe(host));
        }
        text.append('.');
        if (!host.probed()) {
            text.append(" The host profile was given, not probed: capabilities were matched statically and runtime"
                    + " checks are not applicable.");
        }
        candidates.forEach(candidate -> text.append("\n- ").append(line(candidate, host)));
        text.append("\nPolicy: ").append(policy);
        return text.toString();
    }

    private static String line(EngineCandidate candidate, HostProfile host) {
        StringBuilder line = new StringBuilder(candidate.label()).append(": ");
        if (candidate.available()) {
            line.append("can run ").append(candidate.specs().stream()
                    .map(p -> p.format() + " " + p.sizeInBillions().replace('_', '.') + "B " + p.quantizations())
                    .collect(Collectors.joining(", ")));
        } else {
            line.append("cannot: ").append(candidate.reasons().stream().map(Reason::toString).collect(Collectors.joining("; ")));
        }
        if (candidate.runtime() != null) {
            line.append(" [runtime: ").append(candidate.runtime()).append(']');
        }
        if (candidate.note() != null && host.probed()) {
            line.append(" (").append(candidate.note()).append(')');
        }
        return line.toString();
    }

    static String criterion(String name, String value) {
        return value == null ? "" : name + " " + value;
    }
}
