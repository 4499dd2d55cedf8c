package io.jinference.launcher.rest;

import io.jinference.api.SamplingParams;
import io.jinference.runtime.ModelInstance;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses request keys that an engine served in this process would not read. A model with its own OpenAI-compatible
 * server (llama-server, vLLM, SGLang, mlx_lm) gets the body as it is and applies that server's own rules to keys it
 * does not know; an engine served here reads only the parsed request ({@link SamplingParams}), so a key left in
 * {@link SamplingParams#extra()} (llama-server's {@code cache_prompt}, vLLM's {@code ignore_eos}, a typo) would be
 * accepted and ignored. It is a 400 naming the key and the engine instead. An engine that reads a key of its own
 * from there (the in-JVM engines read {@code ignore_eos}) declares it by that name among its capability's
 * abilities.
 */
final class UnreadParameters {
    /** Keys that describe the caller, not the generation: nothing is there to apply (OpenAI's {@code user}). */
    private static final Set<String> CALLER_ONLY = Set.of("user");
    /** Request keys outside the parsed request that an engine may read, when it names them among its abilities. */
    private static final Set<String> ENGINE_KEYS = Set.of("ignore_eos");

    private UnreadParameters() {
    }

    static void refuse(ModelInstance model, SamplingParams sampling) {
        Set<String> unread = new TreeSet<>(sampling.extra().keySet());
        unread.removeAll(CALLER_ONLY);
        ENGINE_KEYS.stream().filter(model.engineAbilities()::contains).forEach(unread::remove);
        if (!unread.isEmpty()) {
            String first = unread.iterator().next();
            throw ApiError.badParameter(first, "The parameter" + (unread.size() > 1 ? "s " : " ")
                    + String.join(", ", unread) + (unread.size() > 1 ? " are" : " is") + " not supported by the engine "
                    + model.engineLabel() + " that serves model " + model.uid() + " in this process");
        }
    }
}
