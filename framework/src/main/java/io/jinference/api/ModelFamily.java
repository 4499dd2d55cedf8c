package io.jinference.api;

import java.util.List;

/**
 * A model family as the catalog knows it (Xinference's "LLM family").
 *
 * @param name unique name, e.g. {@code qwen2.5-instruct}
 * @param description one paragraph for people
 * @param languages e.g. en, zh
 * @param abilities subset of generate, chat, embed, tools, vision, reasoning, …
 * @param contextLength maximum context in tokens
 * @param architectures HF architecture classes, e.g. {@code Qwen2ForCausalLM}; engines match on these
 * @param chatTemplate Jinja chat template, or null
 * @param stop stop strings
 * @param stopTokenIds stop token ids
 * @param specs the formats and sizes this family comes in
 * @param baseFamily for custom registrations: the built-in family whose template and architectures it inherits
 * @param builtin true for families shipped with Jinference
 */
public record ModelFamily(String name, String description, List<String> languages, List<String> abilities,
        int contextLength, List<String> architectures, String chatTemplate, List<String> stop,
        List<Integer> stopTokenIds, List<ModelSpec> specs, String baseFamily, boolean builtin) {

    public ModelFamily {
        languages = languages == null ? List.of() : List.copyOf(languages);
        abilities = List.copyOf(abilities);
        architectures = architectures == null ? List.of() : List.copyOf(architectures);
        stop = stop == null ? List.of() : List.copyOf(stop);
        stopTokenIds = stopTokenIds == null ? List.of() : List.copyOf(stopTokenIds);
        specs = List.copyOf(specs);
    }

    public boolean hasAbility(String ability) {
        return abilities.contains(ability);
    }
}
