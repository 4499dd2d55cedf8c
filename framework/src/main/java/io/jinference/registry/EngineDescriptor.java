package io.jinference.registry;

import io.jinference.api.EngineNamespace;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Version;

/**
 * One {@code io.jinference.engine} capability of an installed bundle, readable without starting the bundle.
 *
 * @param attributes the attributes matched with OSGi filters: the capability's own, list-valued ones normalised to
 *        {@code List<String>}, with the models of {@code models.resource} merged into {@code families} and
 *        {@code architectures}
 * @param restrictsModels false when the engine names no families or architectures at all (= it runs any model)
 */
public record EngineDescriptor(String engine, Version version, long bundleId, String symbolicName,
        List<String> formats, List<String> os, List<String> arch, List<String> devices, List<String> abilities,
        List<String> families, List<String> architectures, boolean restrictsModels, long priority,
        Map<String, Object> attributes) {

    public EngineDescriptor {
        formats = List.copyOf(formats);
        os = List.copyOf(os);
        arch = List.copyOf(arch);
        devices = List.copyOf(devices);
        abilities = List.copyOf(abilities);
        families = List.copyOf(families);
        architectures = List.copyOf(architectures);
        attributes = Map.copyOf(attributes);
    }

    /** The quantizations the engine accepts for a format, or an empty list when it accepts any. */
    public List<String> quantizations(String format) {
        Object value = attributes.get(EngineNamespace.QUANTIZATIONS_PREFIX + format);
        return value instanceof List<?> list ? list.stream().map(Object::toString).toList() : List.of();
    }

    /** "vLLM 0.11.0" */
    public String label() {
        return engine + " " + version;
    }
}
