package io.jinference.hotplug;

import io.jinference.api.EngineNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.osgi.framework.Version;

/**
 * One {@code io.jinference.engine} capability as the OSGi framework parsed it from a manifest (typed attributes:
 * {@code List<String>}, {@link Version}, {@link Long}), with the rules a well-formed header follows.
 */
public record EngineCapability(Map<String, Object> attributes) {

    private static final List<String> REQUIRED_LISTS = List.of(EngineNamespace.FORMATS, EngineNamespace.OS,
            EngineNamespace.ARCH, EngineNamespace.DEVICES, EngineNamespace.ABILITIES);
    private static final List<String> OPTIONAL_LISTS = List.of(EngineNamespace.FAMILIES, EngineNamespace.ARCHITECTURES);
    private static final Map<String, Set<String>> KNOWN_VALUES = Map.of(
            EngineNamespace.OS, Set.of("linux", "macos", "windows"),
            EngineNamespace.ARCH, Set.of("x86_64", "aarch64"),
            EngineNamespace.DEVICES, Set.of("cpu", "cuda", "rocm", "mps"));

    public EngineCapability {
        attributes = Map.copyOf(attributes);
    }

    public String engine() {
        return attributes.get(EngineNamespace.ENGINE) instanceof String name ? name : null;
    }

    /** The declared abilities; empty when the attribute is missing or mistyped. */
    public List<String> abilities() {
        return stringList(EngineNamespace.ABILITIES);
    }

    public boolean hasAbility(String ability) {
        return abilities().contains(ability);
    }

    /** The value of a {@code List<String>} attribute, empty when absent or of another type. */
    public List<String> stringList(String key) {
        if (attributes.get(key) instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        return List.of();
    }

    /**
     * Every way this capability breaks the contract of {@link EngineNamespace}; empty when it is well formed.
     *
     * @param resourceExists tells whether a bundle entry exists (for {@code models.resource})
     */
    public List<String> problems(Predicate<String> resourceExists) {
        List<String> problems = new ArrayList<>();
        Object engine = attributes.get(EngineNamespace.ENGINE);
        if (!(engine instanceof String name) || name.isBlank()) {
            problems.add("attribute 'engine' must be a non-empty String, got " + describe(engine));
        }
        Object version = attributes.get(EngineNamespace.VERSION);
        if (!(version instanceof Version)) {
            problems.add("attribute 'version' must be typed version:Version=..., got " + describe(version));
        }
        for (String key : REQUIRED_LISTS) {
            checkStringList(key, true, problems);
        }
        for (String key : OPTIONAL_LISTS) {
            checkStringList(key, false, problems);
        }
        attributes.keySet().stream().filter(key -> key.startsWith(EngineNamespace.QUANTIZATIONS_PREFIX))
                .forEach(key -> checkQuantizations(key, problems));
        Object priority = attributes.get(EngineNamespace.PRIORITY);
        if (priority != null && !(priority instanceof Long)) {
            problems.add("attribute 'priority' must be typed priority:Long=..., got " + describe(priority));
        }
        Object resource = attributes.get(EngineNamespace.MODELS_RESOURCE);
        if (resource != null && !(resource instanceof String path && resourceExists.test(path))) {
            problems.add("attribute 'models.resource' names " + describe(resource) + ", which is not in the bundle");
        }
        return problems;
    }

    private void checkQuantizations(String key, List<String> problems) {
        String format = key.substring(EngineNamespace.QUANTIZATIONS_PREFIX.length());
        checkStringList(key, true, problems);
        if (!stringList(EngineNamespace.FORMATS).contains(format)) {
            problems.add("attribute '" + key + "' names format '" + format + "', which is not in 'formats'");
        }
    }

    private void checkStringList(String key, boolean required, List<String> problems) {
        Object value = attributes.get(key);
        if (value == null) {
            if (required) {
                problems.add("required attribute '" + key + "' is missing (declare it as " + key + ":List<String>=\"...\")");
            }
            return;
        }
        if (!(value instanceof List<?> list) || !list.stream().allMatch(String.class::isInstance)) {
            problems.add("attribute '" + key + "' must be typed " + key + ":List<String>, got " + describe(value));
            return;
        }
        if (required && list.isEmpty()) {
            problems.add("attribute '" + key + "' must not be empty");
        }
        Set<String> known = KNOWN_VALUES.get(key);
        if (known != null) {
            list.stream().filter(item -> !known.contains(item)).forEach(item -> problems.add(
                    "attribute '" + key + "' has unknown value '" + item + "' (known: " + new TreeSet<>(known) + ")"));
        }
    }

    private static String describe(Object value) {
        return value == null ? "nothing" : value.getClass().getSimpleName() + " '" + value + "'";
    }
}
