package io.jinference.registry;

import io.jinference.api.ModelFamily;
import io.jinference.api.Reason;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The registry's full answer for one request: every candidate engine with what it can run or why not, the choice
 * (null when no engine can run the model here), the policy used, and a readable explanation.
 */
public record Decision(ModelFamily family, List<EngineCandidate> candidates, Choice choice, String policy,
        String explanation) {

    public Decision {
        candidates = List.copyOf(candidates);
    }

    /**
     * Xinference's {@code GET /v1/engines/{model_name}} answer: engine name → list of
     * {@code {model_name, model_format, model_size_in_billions, quantizations, support_draft_model}} when it can run the
     * model, or a reason string when it cannot. With several versions of an engine the first listed (the best) speaks.
     */
    public Map<String, Object> xinferenceView() {
        Map<String, Object> view = new LinkedHashMap<>();
        for (EngineCandidate candidate : candidates) {
            if (view.containsKey(candidate.engine())) {
                continue;
            }
            view.put(candidate.engine(), candidate.available() ? params(candidate)
                    : candidate.reasons().stream().map(Reason::message).collect(Collectors.joining("; ")));
        }
        return view;
    }

    private List<Map<String, Object>> params(EngineCandidate candidate) {
        List<Map<String, Object>> params = new ArrayList<>();
        for (SpecParams spec : candidate.specs()) {
            Map<String, Object> param = new LinkedHashMap<>();
            param.put("model_name", family.name());
            param.put("model_format", spec.format());
            param.put("model_size_in_billions", xinferenceSize(spec.sizeInBillions()));
            param.put("quantizations", spec.quantizations());
            param.put("support_draft_model", false);
            params.add(param);
        }
        return params;
    }

    /** Xinference keeps whole sizes as integers and fractional ones as strings ("0_5"). */
    private static Object xinferenceSize(String size) {
        return size.matches("[0-9]{1,9}") ? (Object) Integer.valueOf(size) : size;
    }
}
