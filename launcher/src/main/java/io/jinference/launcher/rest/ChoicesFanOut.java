package io.jinference.launcher.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.api.RunningModel;
import io.jinference.metrics.RequestRecord;
import java.util.regex.Pattern;

/**
 * {@code n} choices from an engine server that refuses several per request (llama-server allows at most as many as
 * it has slots, {@code n_parallel}): {@code n} requests of one choice each (seed, seed + 1, … when a seed is given),
 * merged into one answer with the choices numbered and the usage summed (the prompt counted once).
 */
final class ChoicesFanOut {
    /** How llama-server names the field it refuses: {@code Field 'n': Value must be between 1 <= value <= 1}. */
    private static final Pattern REFUSES_N = Pattern.compile("['\"]n['\"]");

    private ChoicesFanOut() {
    }

    /** True when the server refused the request because of its {@code n}. */
    static boolean refusedN(ApiError error, int n) {
        return n > 1 && error.status() == 400 && ("n".equals(error.param())
                || REFUSES_N.matcher(String.valueOf(error.getMessage())).find());
    }

    /** The whole answer of {@code body} (non-streaming); null when the model is served in this process. */
    static JsonNode answer(RequestRecord record, RunningModel model, String path, ObjectNode body, String uid,
            ClientConnection client, int n) {
        try {
            return OpenAiPassThrough.answer(record, model, path, body, uid, client);
        } catch (ApiError refused) {
            if (!refusedN(refused, n)) {
                throw refused;
            }
        }
        ObjectNode merged = null;
        ArrayNode choices = Json.MAPPER.createArrayNode();
        int promptTokens = 0;
        int completionTokens = 0;
        for (int i = 0; i < n && !client.gone(); i++) {
            ObjectNode single = body.deepCopy().put("n", 1);
            if (body.path("seed").canConvertToLong()) {
                single.put("seed", body.path("seed").asLong() + i);
            }
            JsonNode answer = OpenAiPassThrough.answer(record, model, path, single, uid, client);
            if (answer == null || answer.isMissingNode()) {
                return answer;
            }
            merged = merged == null ? answer.deepCopy() : merged;
            for (JsonNode choice : answer.path("choices")) {
                choices.add(((ObjectNode) choice.deepCopy()).put("index", choices.size()));
            }
            promptTokens = i == 0 ? answer.at("/usage/prompt_tokens").asInt() : promptTokens;
            completionTokens += answer.at("/usage/completion_tokens").asInt();
        }
        if (merged == null) {
            return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        }
        merged.set("choices", choices);
        merged.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return merged;
    }
}
