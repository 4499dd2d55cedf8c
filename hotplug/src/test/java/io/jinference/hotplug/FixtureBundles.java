package io.jinference.hotplug;

import io.jinference.hotplug.fixture.FixtureEngineActivator;
import io.jinference.hotplug.fixture.ThrowingActivator;
import io.jinference.hotplug.fixture.ThrowingProbeActivator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Engine bundle jars, well-formed or broken in one way each, written into a folder. */
public final class FixtureBundles {

    static final String CAPABILITY = "io.jinference.engine;engine=fixture;version:Version=\"%s\";"
            + "formats:List<String>=\"onnx\";os:List<String>=\"linux\";arch:List<String>=\"x86_64\";"
            + "devices:List<String>=\"cpu\";abilities:List<String>=\"embed\"";

    private final Path folder;

    public FixtureBundles(Path folder) {
        this.folder = folder;
    }

    /** A working engine adapter of the given version. */
    public Path engine(String version) throws IOException {
        return write("engine-" + version + ".jar", headers(version, FixtureEngineActivator.class));
    }

    public Path throwingActivator() throws IOException {
        return write("throwing.jar", headers("1.0.0", ThrowingActivator.class), ThrowingActivator.class);
    }

    /** An engine for GGUF chat models (the built-in families) whose probe throws. */
    public Path throwingProbe() throws IOException {
        Map<String, String> headers = headers("1.0.0", ThrowingProbeActivator.class);
        headers.put("Provide-Capability", "io.jinference.engine;engine=fixture;version:Version=\"1.0.0\";"
                + "formats:List<String>=\"ggufv2\";os:List<String>=\"linux\";arch:List<String>=\"x86_64\";"
                + "devices:List<String>=\"cpu\";abilities:List<String>=\"chat\"");
        return write("throwing-probe.jar", headers, ThrowingProbeActivator.class);
    }

    public Path missingImport() throws IOException {
        Map<String, String> headers = headers("1.0.0", FixtureEngineActivator.class);
        headers.put("Import-Package", "io.jinference.api,org.osgi.framework,com.example.nowhere");
        return write("missing-import.jar", headers);
    }

    public Path capability(String header) throws IOException {
        Map<String, String> headers = headers("1.0.0", FixtureEngineActivator.class);
        headers.put("Provide-Capability", header);
        return write("capability.jar", headers);
    }

    public Path foreignNatives() throws IOException {
        Map<String, String> headers = headers("1.0.0", FixtureEngineActivator.class);
        headers.remove("Provide-Capability");
        headers.put("Require-Capability", "osgi.native;filter:=\"(osgi.native.osname~=plan9)\"");
        return write("plan9-runtime.jar", headers);
    }

    /** A runtime bundle for this platform: natives required, no engine capability. */
    public Path runtime() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", "fixture.runtime");
        headers.put("Bundle-Version", "1.0.0");
        headers.put("Require-Capability", "osgi.native;filter:=\"(osgi.native.osname~=linux)\"");
        return write("runtime.jar", headers);
    }

    private Map<String, String> headers(String version, Class<?> activator) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", "fixture.engine");
        headers.put("Bundle-Version", version);
        headers.put("Bundle-Activator", activator.getName());
        headers.put("Import-Package", "io.jinference.api,org.osgi.framework");
        headers.put("Provide-Capability", String.format(CAPABILITY, version));
        return headers;
    }

    private Path write(String name, Map<String, String> headers, Class<?>... more) throws IOException {
        Class<?>[] classes = new Class<?>[more.length + 1];
        classes[0] = FixtureEngineActivator.class;
        System.arraycopy(more, 0, classes, 1, more.length);
        return TestBundleJar.write(folder.resolve(name), headers, classes);
    }
}
