package io.jinference.tck;

import io.jinference.hotplug.TestBundleJar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.tck.ConformanceReport.Outcome;
import io.jinference.tck.fixture.MisbehavingEngine;
import io.jinference.tck.fixture.UntaggedEngineActivator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Version;

/** The kit must notice each way an engine breaks the contract, and name it. */
class EngineConformanceTest {

    @TempDir
    Path folder;

    private LoadRequest model() throws Exception {
        Path file = Files.writeString(folder.resolve("model.bin"), "weights");
        ModelSpec spec = new ModelSpec("onnx", "1", List.of("none"), Map.of(), null);
        ModelFamily family = new ModelFamily("fixture", "", List.of(), List.of("embed"), 128, List.of(), null,
                List.of(), List.of(), List.of(spec), null, false);
        return new LoadRequest("fixture", family, spec, "none", file, Map.of(), List.of());
    }

    private static Map<String, Object> capability() {
        return Map.of("engine", "misbehaving", "version", new Version(1, 0, 0), "formats", List.of("onnx"),
                "os", List.of("linux"), "arch", List.of("x86_64"), "devices", List.of("cpu"),
                "abilities", List.of("embed"));
    }

    @Test
    void reportsEachBrokenRuleOfAMisbehavingEngine() throws Exception {
        ConformanceReport report = EngineConformance.forEngine(new MisbehavingEngine(), capability())
                .model(model()).run();

        assertThat(report.failures()).extracting(Outcome::check).contains(
                "a missing model file fails as LOAD_FAILED",
                "embed answers one finite vector of one dimension per input",
                "close is safe to call twice");
        assertThat(report.outcomes()).filteredOn(o -> o.status() == ConformanceReport.Status.PASSED)
                .extracting(Outcome::check).contains("capability header is well formed",
                        "engine name equals the capability's engine attribute",
                        "undeclared ability 'chat' answers UNSUPPORTED");
        assertThat(report.failures()).filteredOn(o -> o.check().startsWith("a missing model"))
                .extracting(Outcome::message).first().asString()
                .contains("must throw EngineException LOAD_FAILED", "IllegalStateException: no such file");
        assertThatThrownBy(report::assertConforms).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Engine misbehaving fails");
    }

    @Test
    void readsTheBundleHeaderWithTheFrameworkAndChecksTheServiceTag() throws Exception {
        Path jar = TestBundleJar.write(folder.resolve("untagged.jar"), Map.of(
                "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "fixture.untagged",
                "Bundle-Version", "1.0.0",
                "Bundle-Activator", UntaggedEngineActivator.class.getName(),
                "Import-Package", "io.jinference.api,org.osgi.framework",
                "Provide-Capability", "io.jinference.engine;engine=misbehaving;formats=onnx;abilities:List<String>=embed"),
                UntaggedEngineActivator.class, MisbehavingEngine.class, MisbehavingEngine.class.getClassLoader()
                        .loadClass(MisbehavingEngine.class.getName() + "$1"));

        ConformanceReport report = EngineConformance.forBundleJar(jar).model(model()).run();

        assertThat(report.failures()).extracting(Outcome::check).contains("capability header is well formed",
                "engine service carries the 'engine' service property");
        assertThat(report.failures().get(0).message()).contains(
                "attribute 'version' must be typed version:Version=..., got nothing",
                "attribute 'formats' must be typed formats:List<String>, got String 'onnx'",
                "required attribute 'os' is missing");
        assertThat(report.outcomes()).extracting(Outcome::check)
                .contains("stopping the bundle withdraws the engine and a restart brings it back");
    }

    @Test
    void failsClearlyWhenTheBundleDoesNotResolve() throws Exception {
        Path jar = TestBundleJar.write(folder.resolve("unresolvable.jar"), Map.of(
                "Bundle-ManifestVersion", "2",
                "Bundle-SymbolicName", "fixture.unresolvable",
                "Import-Package", "com.example.missing"));

        assertThatThrownBy(() -> EngineConformance.forBundleJar(jar)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not install and start in Felix")
                .hasMessageContaining("com.example.missing");
    }
}
