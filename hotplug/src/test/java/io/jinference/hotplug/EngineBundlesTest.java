package io.jinference.hotplug;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.InferenceEngine;
import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs, updates and removes real bundle jars in a real Felix; every broken bundle is refused and rolled back. */
class EngineBundlesTest {

    @TempDir
    Path folder;
    private TestFramework framework;
    private EngineBundles bundles;
    private FixtureBundles jars;

    @BeforeEach
    void start() throws Exception {
        framework = new TestFramework(folder.resolve("felix"));
        bundles = new EngineBundles(framework.context(), folder.resolve("store"));
        jars = new FixtureBundles(Files.createDirectories(folder.resolve("jars")));
    }

    @AfterEach
    void stop() throws Exception {
        framework.close();
    }

    private static InputStream open(Path jar) throws IOException {
        return Files.newInputStream(jar);
    }

    private List<String> engineServices() throws Exception {
        var references = framework.context().getServiceReferences(InferenceEngine.class, null);
        List<String> versions = new ArrayList<>();
        references.forEach(reference -> versions.add(reference.getBundle().getVersion().toString()));
        return versions;
    }

    private void assertRejected(Problem problem, String reasonPart, ThrowingCallable operation) {
        int before = bundles.list().size();
        assertThatThrownBy(operation).isInstanceOfSatisfying(BundleRejectedException.class,
                e -> assertThat(e.problem()).isEqualTo(problem)).hasMessageContaining(reasonPart);
        assertThat(bundles.list()).as("a refused bundle is not left installed").hasSize(before);
    }

    @Test
    void installsAnEngineBundleAndListsItsCapability() throws Exception {
        BundleInfo installed = bundles.install("engine.jar", open(jars.engine("1.0.0")));

        assertThat(installed.state()).isEqualTo("active");
        assertThat(installed.role()).isEqualTo("adapter");
        assertThat(installed.engines()).singleElement().satisfies(engine -> {
            assertThat(engine).containsEntry("engine", "fixture").containsEntry("version", "1.0.0");
        });
        assertThat(bundles.list()).extracting(BundleInfo::symbolicName).containsExactly("fixture.engine");
        assertThat(engineServices()).containsExactly("1.0.0");
    }

    @Test
    void listsTheRestInstalledBundlesWithTheSha256OfTheirJars() throws Exception {
        Path jar = jars.engine("1.0.0");
        String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(jar)));
        bundles.install("this run only.jar", open(jars.engine("2.0.0")), false);
        long kept = bundles.install("engine.jar", open(jar), true).id();

        assertThat(bundles.keptAcrossRestarts()).singleElement().satisfies(bundle -> {
            assertThat(bundle.info().id()).isEqualTo(kept);
            assertThat(bundle.sha256()).isEqualTo(sha256);
            assertThat(Files.readAllBytes(bundle.jar())).isEqualTo(Files.readAllBytes(jar));
        });
        bundles.remove(kept);
        assertThat(bundles.keptAcrossRestarts()).isEmpty();
    }

    @Test
    void keepsTwoVersionsSideBySideButRefusesADuplicate() throws Exception {
        long first = bundles.install("engine.jar", open(jars.engine("1.0.0"))).id();
        bundles.install("engine-2.jar", open(jars.engine("2.0.0")));

        assertThat(engineServices()).containsExactlyInAnyOrder("1.0.0", "2.0.0");
        assertRejected(Problem.DUPLICATE, "fixture.engine 1.0.0 is already installed as bundle " + first,
                () -> bundles.install("again.jar", open(jars.engine("1.0.0"))));
    }

    @Test
    void refusesFilesThatAreNotBundles() throws Exception {
        assertRejected(Problem.NOT_A_JAR, "notes.txt is not a jar file", () -> bundles.install("notes.txt",
                new ByteArrayInputStream("hello".getBytes(StandardCharsets.UTF_8))));
        Path plain = TestBundleJar.write(folder.resolve("plain.jar"), java.util.Map.of("Created-By", "javac"));
        assertRejected(Problem.NOT_A_BUNDLE, "plain.jar is a plain jar, not an OSGi bundle",
                () -> bundles.install("plain.jar", open(plain)));
    }

    @Test
    void rollsBackABundleThatDoesNotResolve() throws Exception {
        assertRejected(Problem.UNRESOLVED, "com.example.nowhere",
                () -> bundles.install("missing-import.jar", open(jars.missingImport())));
        assertRejected(Problem.UNRESOLVED, "osgi.native",
                () -> bundles.install("plan9-runtime.jar", open(jars.foreignNatives())));
    }

    @Test
    void rollsBackABundleWhoseActivatorThrows() throws Exception {
        assertRejected(Problem.START_FAILED, "the engine's activator exploded",
                () -> bundles.install("throwing.jar", open(jars.throwingActivator())));
        assertThat(engineServices()).isEmpty();
    }

    @Test
    void refusesMalformedEngineCapabilities() throws Exception {
        assertRejected(Problem.INVALID_HEADER, "was refused by the framework",
                () -> bundles.install("bad.jar", open(jars.capability("io.jinference.engine;engine=\"unterminated"))));
        assertRejected(Problem.INVALID_HEADER, "required attribute 'abilities' is missing",
                () -> bundles.install("bad.jar", open(jars.capability(
                        "io.jinference.engine;engine=fixture;version:Version=1;formats:List<String>=onnx;"
                                + "os:List<String>=linux;arch:List<String>=x86_64;devices:List<String>=cpu"))));
    }

    @Test
    void updatesAnEngineAndRollsBackAFailedUpdate() throws Exception {
        long id = bundles.install("engine.jar", open(jars.engine("1.0.0"))).id();

        assertThat(bundles.update(id, open(jars.engine("1.1.0"))).version()).isEqualTo("1.1.0");
        assertThat(engineServices()).containsExactly("1.1.0");

        assertThatThrownBy(() -> bundles.update(id, open(jars.throwingActivator())))
                .isInstanceOfSatisfying(BundleRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.START_FAILED));
        assertThat(bundles.get(id).version()).isEqualTo("1.1.0");
        assertThat(bundles.get(id).state()).isEqualTo("active");
        assertThat(engineServices()).containsExactly("1.1.0");
    }

    @Test
    void reportsThatARuntimeBundleChangesOnRestart() throws Exception {
        BundleInfo runtime = bundles.install("runtime.jar", open(jars.runtime()));
        assertThat(runtime.role()).isEqualTo("runtime");

        assertThatThrownBy(() -> bundles.update(runtime.id(), open(jars.runtime())))
                .isInstanceOfSatisfying(BundleRejectedException.class,
                        e -> assertThat(e.problem()).isEqualTo(Problem.RESTART_REQUIRED))
                .hasMessageContaining("restart the server");
    }

    @Test
    void removesABundleAndItsEngine() throws Exception {
        long id = bundles.install("engine.jar", open(jars.engine("1.0.0"))).id();

        assertThat(bundles.remove(id).symbolicName()).isEqualTo("fixture.engine");
        assertThat(bundles.list()).isEmpty();
        assertThat(engineServices()).isEmpty();
        assertRejected(Problem.NOT_FOUND, "No bundle with id " + id, () -> bundles.remove(id));
    }
}
