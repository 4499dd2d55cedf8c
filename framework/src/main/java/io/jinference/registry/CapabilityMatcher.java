package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import io.jinference.api.HostProfile;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import io.jinference.catalog.ModelSpecs;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;

/**
 * Matches an engine's capability attributes against a host, a model family and its specs. Every check is an OSGi LDAP
 * filter built from the request, paired with the reason code and message to give when the filter does not match.
 * Pure: no bundles, no services.
 */
final class CapabilityMatcher {
    /** Abilities that decide whether an engine can serve a family at all; other abilities (tools, vision) refine. */
    private static final List<String> PRIMARY_ABILITIES = List.of("chat", "generate", "embed");

    /** A spec the engine can run, with the quantizations it can run it in (the spec's spelling). */
    record RunnableSpec(ModelSpec spec, List<String> quantizations) {
    }

    record Outcome(List<RunnableSpec> runnable, List<Reason> reasons) {
        boolean available() {
            return reasons.isEmpty() && !runnable.isEmpty();
        }
    }

    /**
     * Parsed filters by text: parsing dominated the time of a decision before this cache. The texts come from catalog
     * names and host facts; given host profiles are user input, so the cache is emptied rather than left to grow.
     */
    private static final Map<String, Filter> FILTERS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_FILTERS = 20_000;

    /** A filter the capability must match, and what to say when it does not (built only then). */
    private record Requirement(ReasonCode code, String filter, Supplier<String> message) {
        boolean metBy(Map<String, Object> attributes) {
            return FILTERS.computeIfAbsent(filter, CapabilityMatcher::parse).matches(attributes);
        }

        Reason reason() {
            return new Reason(code, message.get());
        }
    }

    private static Filter parse(String filter) {
        if (FILTERS.size() > MAX_CACHED_FILTERS) {
            FILTERS.clear();
        }
        try {
            return FrameworkUtil.createFilter(filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("built an invalid filter " + filter, e);
        }
    }

    private CapabilityMatcher() {
    }

    /**
     * @param architectures the family's HF architectures, inherited from its base family when it has none
     * @param quantization the requested quantization, or null for all the spec offers
     */
    static Outcome match(String label, Map<String, Object> attributes, ModelFamily family, List<String> architectures,
            List<ModelSpec> specs, String quantization, HostProfile host) {
        Set<Reason> reasons = new LinkedHashSet<>();
        for (Requirement requirement : hostAndModelRequirements(label, attributes, family, architectures, host)) {
            if (!requirement.metBy(attributes)) {
                reasons.add(requirement.reason());
            }
        }
        List<RunnableSpec> runnable = new ArrayList<>();
        Set<Reason> specReasons = new LinkedHashSet<>();
        for (ModelSpec spec : specs) {
            Requirement format = formatRequirement(label, attributes, spec);
            if (!format.metBy(attributes)) {
                specReasons.add(format.reason());
                continue;
            }
            List<String> offered = quantization == null ? spec.quantizations()
                    : ModelSpecs.quantization(spec, quantization).stream().toList();
            List<String> accepted = new ArrayList<>();
            for (String quant : offered) {
                Requirement requirement = quantizationRequirement(label, attributes, family, spec, quant);
                if (requirement.metBy(attributes)) {
                    accepted.add(quant);
                } else {
                    specReasons.add(requirement.reason());
                }
            }
            if (!accepted.isEmpty()) {
                runnable.add(new RunnableSpec(spec, accepted));
            }
        }
        if (runnable.isEmpty()) {
            reasons.addAll(specReasons);
        }
        return new Outcome(runnable, List.copyOf(reasons));
    }

    private static List<Requirement> hostAndModelRequirements(String label, Map<String, Object> attributes,
            ModelFamily family, List<String> architectures, HostProfile host) {
        List<Requirement> requirements = new ArrayList<>();
        requirements.add(new Requirement(ReasonCode.OS_UNSUPPORTED, approx(EngineNamespace.OS, host.os()),
                () -> label + " runs on " + listed(attributes, EngineNamespace.OS) + ", not on " + host.os()));
        requirements.add(new Requirement(ReasonCode.ARCH_UNSUPPORTED, approx(EngineNamespace.ARCH, host.arch()),
                () -> label + " runs on " + listed(attributes, EngineNamespace.ARCH) + " CPUs, not on " + host.arch()));
        requirements.add(new Requirement(ReasonCode.DEVICE_MISSING, anyOf(EngineNamespace.DEVICES, List.copyOf(host.deviceKinds())),
                () -> label + " needs a " + listed(attributes, EngineNamespace.DEVICES).replace(", ", " or ")
                        + " device; this host has " + String.join(", ", host.deviceKinds()) + " only"));
        List<String> needed = family.abilities().stream().filter(PRIMARY_ABILITIES::contains).toList();
        if (needed.isEmpty()) {
            needed = family.abilities();
        }
        if (!needed.isEmpty()) {
            List<String> wanted = needed;
            requirements.add(new Requirement(ReasonCode.ABILITY_UNSUPPORTED, anyOf(EngineNamespace.ABILITIES, needed),
                    () -> label + " offers " + listed(attributes, EngineNamespace.ABILITIES) + "; " + family.name()
                            + " needs " + String.join(" or ", wanted)));
        }
        List<String> models = new ArrayList<>();
        models.add("(!(|(" + EngineNamespace.FAMILIES + "=*)(" + EngineNamespace.ARCHITECTURES + "=*)))");
        models.add(approx(EngineNamespace.FAMILIES, family.name()));
        architectures.forEach(architecture -> models.add(approx(EngineNamespace.ARCHITECTURES, architecture)));
        requirements.add(new Requirement(ReasonCode.MODEL_UNSUPPORTED, "(|" + String.join("", models) + ")",
                () -> label + " does not support model " + family.name()
                        + (architectures.isEmpty() ? " (the family names no HF architecture)"
                                : " nor its architecture " + String.join(", ", architectures))));
        return requirements;
    }

    private static Requirement formatRequirement(String label, Map<String, Object> attributes, ModelSpec spec) {
        return new Requirement(ReasonCode.FORMAT_UNSUPPORTED, approx(EngineNamespace.FORMATS, spec.format()),
                () -> label + " supports the formats " + listed(attributes, EngineNamespace.FORMATS) + ", not " + spec.format());
    }

    private static Requirement quantizationRequirement(String label, Map<String, Object> attributes, ModelFamily family,
            ModelSpec spec, String quantization) {
        String key = EngineNamespace.QUANTIZATIONS_PREFIX + spec.format();
        return new Requirement(ReasonCode.QUANTIZATION_UNSUPPORTED,
                "(|(!(" + escape(key) + "=*))" + approx(key, quantization) + ")",
                () -> label + " runs " + spec.format() + " only in quantization " + listed(attributes, key) + "; "
                        + family.name() + " " + ModelSpecs.describe(spec, null) + " offers "
                        + String.join(", ", spec.quantizations()));
    }

    /** Case-insensitive equality (the LDAP approximate match, which also ignores white space). */
    private static String approx(String attribute, String value) {
        return "(" + escape(attribute) + "~=" + escape(value) + ")";
    }

    private static String anyOf(String attribute, List<String> values) {
        return "(|" + values.stream().map(value -> approx(attribute, value)).collect(Collectors.joining()) + ")";
    }

    private static String listed(Map<String, Object> attributes, String key) {
        List<String> values = CapabilityReader.strings(attributes.get(key));
        return values.isEmpty() ? "(none declared)" : String.join(", ", values);
    }

    /** RFC 4515 escaping of the characters that are special in a filter value. */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c == '\\' || c == '*' || c == '(' || c == ')') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
