package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns the declared {@code io.jinference.engine} capabilities of a bundle into descriptors; works for INSTALLED bundles. */
final class CapabilityReader {
    private static final Logger LOG = LoggerFactory.getLogger(CapabilityReader.class);
    /** How an HF architecture class name looks in a models resource; anything else there is a family name. */
    private static final Pattern ARCHITECTURE =
            Pattern.compile("[A-Z][A-Za-z0-9]*(For[A-Z][A-Za-z]*|LMHeadModel|Model)");
    private static final List<String> LIST_ATTRIBUTES = List.of(EngineNamespace.FORMATS, EngineNamespace.OS,
            EngineNamespace.ARCH, EngineNamespace.DEVICES, EngineNamespace.ABILITIES, EngineNamespace.FAMILIES,
            EngineNamespace.ARCHITECTURES);

    private CapabilityReader() {
    }

    static List<EngineDescriptor> read(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        if (revision == null) {
            return List.of();
        }
        List<EngineDescriptor> descriptors = new ArrayList<>();
        for (BundleCapability capability : revision.getDeclaredCapabilities(EngineNamespace.NAMESPACE)) {
            try {
                descriptors.add(describe(bundle, capability.getAttributes()));
            } catch (RuntimeException e) {
                LOG.warn("Ignoring an {} capability of bundle {} ({}): {}", EngineNamespace.NAMESPACE,
                        bundle.getSymbolicName(), bundle.getBundleId(), e.getMessage());
            }
        }
        return descriptors;
    }

    static EngineDescriptor describe(Bundle bundle, Map<String, Object> declared) {
        Object engine = declared.get(EngineNamespace.ENGINE);
        if (!(engine instanceof String name) || name.isBlank()) {
            throw new IllegalArgumentException("the 'engine' attribute is missing");
        }
        Map<String, Object> attributes = new HashMap<>(declared);
        attributes.replaceAll((key, value) -> isList(key) ? strings(value) : value);
        boolean restricts = declared.containsKey(EngineNamespace.FAMILIES) || declared.containsKey(EngineNamespace.ARCHITECTURES)
                || declared.containsKey(EngineNamespace.MODELS_RESOURCE);
        Object resource = declared.get(EngineNamespace.MODELS_RESOURCE);
        if (resource != null) {
            mergeModelsResource(bundle, resource.toString(), attributes);
        }
        Version version = version(declared.get(EngineNamespace.VERSION)).orElse(bundle.getVersion());
        attributes.put(EngineNamespace.VERSION, version);
        Object priority = declared.get(EngineNamespace.PRIORITY);
        return new EngineDescriptor(name, version, bundle.getBundleId(), bundle.getSymbolicName(),
                list(attributes, EngineNamespace.FORMATS), list(attributes, EngineNamespace.OS),
                list(attributes, EngineNamespace.ARCH), list(attributes, EngineNamespace.DEVICES),
                list(attributes, EngineNamespace.ABILITIES), list(attributes, EngineNamespace.FAMILIES),
                list(attributes, EngineNamespace.ARCHITECTURES), restricts,
                priority instanceof Number number ? number.longValue() : 0L, attributes);
    }

    /** Reads the resource through {@code getEntry}, which does not need the bundle to be resolved. */
    private static void mergeModelsResource(Bundle bundle, String path, Map<String, Object> attributes) {
        URL entry = bundle.getEntry(path);
        if (entry == null) {
            LOG.warn("Bundle {} names models resource {}, which it does not contain", bundle.getSymbolicName(), path);
            return;
        }
        Set<String> families = new LinkedHashSet<>(list(attributes, EngineNamespace.FAMILIES));
        Set<String> architectures = new LinkedHashSet<>(list(attributes, EngineNamespace.ARCHITECTURES));
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(entry.openStream(), StandardCharsets.UTF_8))) {
            reader.lines().map(String::trim).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .forEach(line -> (ARCHITECTURE.matcher(line).matches() ? architectures : families).add(line));
        } catch (IOException e) {
            LOG.warn("Cannot read models resource {} of bundle {}: {}", path, bundle.getSymbolicName(), e.getMessage());
        }
        putUnlessEmpty(attributes, EngineNamespace.FAMILIES, families);
        putUnlessEmpty(attributes, EngineNamespace.ARCHITECTURES, architectures);
    }

    /** An empty list would still satisfy the filter's presence test {@code (families=*)}, so it is left out. */
    private static void putUnlessEmpty(Map<String, Object> attributes, String key, Set<String> values) {
        if (values.isEmpty()) {
            attributes.remove(key);
        } else {
            attributes.put(key, new ArrayList<>(values));
        }
    }

    private static boolean isList(String key) {
        return LIST_ATTRIBUTES.contains(key) || key.startsWith(EngineNamespace.QUANTIZATIONS_PREFIX);
    }

    /** A list attribute as strings; an untyped value "a,b" is split, so authors who forget {@code :List<String>} still match. */
    static List<String> strings(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof Collection<?> collection) {
            collection.forEach(item -> values.add(item.toString().trim()));
        } else if (value != null) {
            for (String item : value.toString().split(",")) {
                if (!item.isBlank()) {
                    values.add(item.trim());
                }
            }
        }
        return values;
    }

    static List<String> list(Map<String, Object> attributes, String key) {
        return strings(attributes.get(key));
    }

    private static Optional<Version> version(Object value) {
        if (value instanceof Version version) {
            return Optional.of(version);
        }
        return value == null ? Optional.empty() : Optional.of(Version.parseVersion(value.toString()));
    }
}
