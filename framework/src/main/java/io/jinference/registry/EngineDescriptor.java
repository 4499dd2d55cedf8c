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

    /**
     * Capability attribute naming which implementation of an engine a bundle is, when one engine has several
     * ({@code llama.cpp}: {@code server} for llama-server, {@code jvm} for the in-JVM java-llama.cpp); String,
     * optional. A request may pin one ({@code model_backend}); otherwise the available one with the higher
     * {@code priority} wins.
     */
    public static final String BACKEND = "backend";

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

    /** The {@value #BACKEND} attribute: which implementation of the engine; null when it has only one. */
    public String backend() {
        Object backend = attributes.get(BACKEND);
        return backend == null || backend.toString().isBlank() ? null : backend.toString().trim();
    }

    /** "vLLM 0.11.0", "llama.cpp 0.1.0 (server)" */
    public String label() {
        return EngineCandidate.label(engine, version, backend());
    }
}
