package io.jinference.launcher;

import io.jinference.api.Reason;
import io.jinference.registry.Choice;
import io.jinference.registry.Decision;
import io.jinference.registry.EngineCandidate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The full selection decision as JSON: every engine with what it can run or why not (codes and messages), the
 * choice, the policy and the explanation. The REST explain endpoint answers it and the CLI prints it.
 */
public final class DecisionJson {
    private DecisionJson() {
    }

    public static Map<String, Object> explain(Decision decision) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_name", decision.family().name());
        json.put("policy", decision.policy());
        json.put("explanation", decision.explanation());
        json.put("choice", choice(decision.choice()));
        json.put("candidates", decision.candidates().stream().map(DecisionJson::candidate).toList());
        return json;
    }

    private static Map<String, Object> choice(Choice choice) {
        if (choice == null) {
            return null;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("engine", choice.engine().engine());
        json.put("engine_version", String.valueOf(choice.engine().version()));
        json.put("backend", choice.engine().backend());
        json.put("model_format", choice.spec().format());
        json.put("model_size_in_billions", choice.spec().sizeInBillions());
        json.put("quantization", choice.quantization());
        json.put("why", choice.why());
        return json;
    }

    private static Map<String, Object> candidate(EngineCandidate candidate) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("engine", candidate.engine());
        json.put("engine_version", String.valueOf(candidate.version()));
        json.put("backend", candidate.backend());
        json.put("bundle_id", candidate.bundleId());
        json.put("available", candidate.available());
        json.put("runtime", candidate.runtime());
        json.put("note", candidate.note());
        json.put("devices", candidate.devices());
        json.put("specs", candidate.specs().stream().map(spec -> Map.of(
                "model_format", spec.format(),
                "model_size_in_billions", spec.sizeInBillions(),
                "quantizations", spec.quantizations())).toList());
        json.put("reasons", reasons(candidate.reasons()));
        return json;
    }

    private static List<Map<String, String>> reasons(List<Reason> reasons) {
        return reasons.stream().map(reason -> Map.of("code", reason.code().name(), "message", reason.message()))
                .toList();
    }
}
