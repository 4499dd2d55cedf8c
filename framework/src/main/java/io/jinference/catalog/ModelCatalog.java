package io.jinference.catalog;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The LLM families Jinference knows: the built-in ones shipped in {@value #BUILTIN_RESOURCE} and the custom ones users
 * registered under {@code $home/model/v2/llm}. Names are looked up exactly first, then case-insensitively.
 * Thread-safe: the REST layer reads while registrations come in.
 */
public final class ModelCatalog {
    static final String BUILTIN_RESOURCE = "/io/jinference/catalog/llm-families.json";

    private final Map<String, ModelFamily> builtins;
    private final Map<String, ModelFamily> customs = new LinkedHashMap<>();
    private final RegistrationStore store;
    private final FamilyValidator validator;
    private final List<String> problems = new ArrayList<>();

    private ModelCatalog(Map<String, ModelFamily> builtins, RegistrationStore store) {
        this.builtins = builtins;
        this.store = store;
        this.validator = new FamilyValidator(name -> builtins.containsKey(key(name)));
    }

    /** Loads the built-in catalog and every custom family persisted under {@code home}; a corrupt file is skipped, see {@link #problems()}. */
    public static ModelCatalog open(Path home) {
        ModelCatalog catalog = new ModelCatalog(loadBuiltins(), new RegistrationStore(home));
        for (ModelFamily family : catalog.store.loadAll(catalog.problems)) {
            if (catalog.builtins.containsKey(key(family.name()))) {
                catalog.problems.add("Skipped custom model " + family.name() + ": it clashes with a built-in family");
            } else {
                catalog.customs.put(key(family.name()), family);
            }
        }
        return catalog;
    }

    /**
     * One family, looked up as {@link #find} does (built-in first, then custom), for a command that needs only that
     * one: it reads just that family of the built-in catalog, and the custom ones only when no built-in matches.
     */
    public static Optional<ModelFamily> findFamily(Path home, String name) {
        if (name == null) {
            return Optional.empty();
        }
        try (InputStream in = builtinCatalog()) {
            Optional<ModelFamily> builtin = CatalogJson.readFamilyWithKey(in, key(name));
            if (builtin.isPresent()) {
                return builtin;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("built-in catalog " + BUILTIN_RESOURCE + " is unreadable", e);
        }
        return new RegistrationStore(home).loadAll(new ArrayList<>()).stream()
                .filter(family -> key(family.name()).equals(key(name))).reduce((earlier, later) -> later);
    }

    private static InputStream builtinCatalog() {
        InputStream in = ModelCatalog.class.getResourceAsStream(BUILTIN_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("built-in catalog " + BUILTIN_RESOURCE + " is missing from the class path");
        }
        return in;
    }

    private static Map<String, ModelFamily> loadBuiltins() {
        try (InputStream in = builtinCatalog()) {
            Map<String, ModelFamily> families = new LinkedHashMap<>();
            CatalogJson.readCatalog(CatalogJson.MAPPER.readTree(in)).forEach(family -> families.put(key(family.name()), family));
            return Map.copyOf(families);
        } catch (IOException e) {
            throw new UncheckedIOException("built-in catalog " + BUILTIN_RESOURCE + " is unreadable", e);
        }
    }

    public synchronized Optional<ModelFamily> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        ModelFamily family = builtins.get(key(name));
        return Optional.ofNullable(family != null ? family : customs.get(key(name)));
    }

    /** Built-in families sorted by name, then custom ones in registration order. */
    public synchronized List<ModelFamily> families() {
        List<ModelFamily> all = new ArrayList<>(sortedBuiltins());
        all.addAll(customs.values());
        return all;
    }

    private List<ModelFamily> sortedBuiltins() {
        return builtins.values().stream().sorted((a, b) -> a.name().compareToIgnoreCase(b.name())).toList();
    }

    /** Problems met while loading custom families (corrupt files, clashes); empty when all went well. */
    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /**
     * Validates, completes (chat template and stop words from the base family when missing) and persists a custom
     * family; it survives restarts.
     *
     * @throws CatalogException naming every problem of the registration
     */
    public synchronized ModelFamily register(ModelFamily family) {
        validator.validate(family);
        if (customs.containsKey(key(family.name()))) {
            throw new CatalogException("A custom model named " + family.name() + " is already registered; unregister it first");
        }
        ModelFamily completed = inheritPrompt(family);
        store.save(completed);
        customs.put(key(completed.name()), completed);
        return completed;
    }

    /** Removes a custom family and its file. */
    public synchronized void unregister(String name) {
        if (name != null && builtins.containsKey(key(name))) {
            throw new CatalogException("Model " + name + " is built in and cannot be unregistered");
        }
        ModelFamily removed = name == null ? null : customs.remove(key(name));
        if (removed == null) {
            throw new UnknownFamilyException(name);
        }
        store.delete(removed.name());
    }

    /**
     * The first spec of the named family with the given format, size and quantization (each optional), as Xinference's
     * {@code match_llm} picks it: sizes compare as numbers, quantizations case-insensitively with the spec's spelling
     * returned, and no quantization means the spec's default.
     */
    public Optional<SpecMatch> match(String modelName, String format, String size, String quantization) {
        return find(modelName).flatMap(family -> matchSpec(family, format, size, quantization));
    }

    /** The first spec of a family with the given format, size and quantization, as {@link #match} picks it. */
    public static Optional<SpecMatch> matchSpec(ModelFamily family, String format, String size, String quantization) {
        return family.specs().stream()
                .filter(spec -> ModelSpecs.formatMatches(spec, format) && ModelSpecs.sizeMatches(spec, size))
                .flatMap(spec -> ModelSpecs.quantization(spec, quantization).map(q -> new SpecMatch(family, spec, q)).stream())
                .findFirst();
    }

    /** The HF architectures engines match a family by: its own, or for a custom family without any, its base family's. */
    public List<String> architecturesOf(ModelFamily family) {
        if (!family.architectures().isEmpty() || family.baseFamily() == null) {
            return family.architectures();
        }
        return find(family.baseFamily()).map(ModelFamily::architectures).orElse(List.of());
    }

    /**
     * Xinference's prompt inheritance: a {@code chat_template} that names a built-in family, or none at all with a base
     * family, takes that family's template; stop words and stop token ids come from the same family when missing.
     */
    private ModelFamily inheritPrompt(ModelFamily family) {
        ModelFamily namedByTemplate = family.chatTemplate() == null ? null : builtins.get(key(family.chatTemplate()));
        ModelFamily base = family.baseFamily() == null ? null : builtins.get(key(family.baseFamily()));
        ModelFamily source = namedByTemplate != null ? namedByTemplate : family.chatTemplate() == null ? base : null;
        String template = source != null ? source.chatTemplate() : family.chatTemplate();
        ModelFamily stops = source != null ? source : base;
        return new ModelFamily(family.name(), family.description(), family.languages(), family.abilities(),
                family.contextLength(), family.architectures(), template,
                family.stop().isEmpty() && stops != null ? stops.stop() : family.stop(),
                family.stopTokenIds().isEmpty() && stops != null ? stops.stopTokenIds() : family.stopTokenIds(),
                family.specs(), family.baseFamily(), false);
    }

    /** Specs of a family narrowed by format and size (null = any), in catalog order. */
    public static List<ModelSpec> specsOf(ModelFamily family, String format, String size) {
        return family.specs().stream()
                .filter(spec -> ModelSpecs.formatMatches(spec, format) && ModelSpecs.sizeMatches(spec, size))
                .toList();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
