package io.jinference.catalog;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Checks a custom family before it is registered; every problem found is named in one message. */
final class FamilyValidator {
    private static final Pattern NAME = Pattern.compile("^[^+/?%#&=\\s\\\\]+$");
    /** A name becomes a file name ({@code name.json}); file systems allow 255 bytes, so stay well below. */
    static final int MAX_NAME_LENGTH = 128;
    static final Set<String> KNOWN_ABILITIES =
            Set.of("generate", "chat", "embed", "tools", "vision", "audio", "omni", "reasoning", "hybrid");

    private final Predicate<String> isBuiltin;

    FamilyValidator(Predicate<String> isBuiltin) {
        this.isBuiltin = isBuiltin;
    }

    void validate(ModelFamily family) {
        List<String> problems = new ArrayList<>();
        String name = family.name();
        if (name == null || !NAME.matcher(name).matches()) {
            problems.add("model name '" + name + "' is invalid: it must be non-empty and contain no whitespace or any of + / \\ ? % # & =");
        } else if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_LENGTH || name.startsWith(".")) {
            problems.add("model name is invalid: at most " + MAX_NAME_LENGTH + " bytes (UTF-8), not starting with '.' (got "
                    + name.length() + " characters)");
        } else if (isBuiltin.test(name)) {
            problems.add("model name '" + name + "' clashes with a built-in family; choose another name");
        }
        // As in Xinference, model_family may be "other" or a new family name: the model then inherits nothing,
        // so a chat model has to bring its own chat template.
        if (family.baseFamily() != null && !isBuiltin.test(family.baseFamily()) && family.chatTemplate() == null
                && family.abilities().contains("chat")) {
            problems.add("model_family '" + family.baseFamily() + "' is not a built-in family to inherit a chat"
                    + " template from, so a chat model needs its own chat_template");
        }
        family.abilities().stream().filter(ability -> !KNOWN_ABILITIES.contains(ability)).forEach(ability ->
                problems.add("ability '" + ability + "' is unknown (known: " + String.join(", ", sorted(KNOWN_ABILITIES)) + ")"));
        if (family.abilities().stream().noneMatch(a -> a.equals("generate") || a.equals("chat") || a.equals("embed"))) {
            problems.add("abilities must include generate, chat or embed");
        }
        if (family.contextLength() <= 0) {
            problems.add("context_length must be positive, got " + family.contextLength());
        }
        if (family.specs().isEmpty()) {
            problems.add("at least one model spec is required");
        }
        for (int i = 0; i < family.specs().size(); i++) {
            validateSpec("spec " + (i + 1), family.specs().get(i), problems);
        }
        if (!problems.isEmpty()) {
            throw new CatalogException("Invalid model registration: " + String.join("; ", problems));
        }
    }

    private static void validateSpec(String where, ModelSpec spec, List<String> problems) {
        if (spec.format() == null || !ModelSpecs.KNOWN_FORMATS.contains(spec.format())) {
            problems.add(where + ": model_format '" + spec.format() + "' is unknown (known: "
                    + String.join(", ", ModelSpecs.KNOWN_FORMATS) + ")");
        }
        if (!ModelSizes.isValid(spec.sizeInBillions())) {
            problems.add(where + ": model_size_in_billions '" + spec.sizeInBillions()
                    + "' is not a positive number (write 7, 0_5 or 1.8)");
        }
        if (spec.quantizations().isEmpty() || spec.quantizations().stream().anyMatch(q -> q == null || q.isBlank())) {
            problems.add(where + ": a quantization is required (\"none\" for unquantized weights)");
        }
        if (spec.modelUri() == null && spec.sources().values().stream().allMatch(source -> source.modelId() == null)) {
            problems.add(where + ": either model_uri or a hub model_id is required");
        }
        if (spec.modelUri() != null) {
            validateUri(where, spec.modelUri(), problems);
        }
        boolean hasTemplate = spec.sources().values().stream().map(ModelSource::fileNameTemplate).anyMatch(t -> t != null && !t.isBlank());
        if ("ggufv2".equals(spec.format()) && !hasTemplate && spec.modelUri() == null) {
            problems.add(where + ": a ggufv2 spec needs model_file_name_template or a model_uri naming the .gguf file");
        }
    }

    private static void validateUri(String where, String modelUri, List<String> problems) {
        try {
            Path path = modelUri.startsWith("file:") ? Path.of(URI.create(modelUri)) : Path.of(modelUri);
            if (!path.isAbsolute()) {
                problems.add(where + ": model_uri '" + modelUri + "' must be an absolute path or file:/// URI");
            }
        } catch (IllegalArgumentException e) {
            problems.add(where + ": model_uri '" + modelUri + "' is not a valid file URI (" + e.getMessage() + ")");
        }
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
