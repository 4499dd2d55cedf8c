package io.jinference.engine.llamacpp.itest;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineNamespace;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import io.jinference.testing.RenderingEngineContext;
import io.jinference.testing.TinyGguf;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The runtime and adapter bundles built by the reactor, installed into a real Felix whose system bundle exports
 * {@code io.jinference.api} (as the launcher does): the capability is readable before start, the engine service
 * appears, loads the tiny model and generates, and comes back after the adapter is updated while the runtime
 * bundle (and the native library it loaded) stays as it was.
 */
class LlamaCppBundlesTest {

    @TempDir
    Path dir;

    private Framework felix;

    @BeforeEach
    void startFelix() throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, io.jinference.host.ApiExports.apiPackages());
        felix = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        felix.start();
    }

    @AfterEach
    void stopFelix() throws Exception {
        felix.stop();
        felix.waitForStop(TimeUnit.SECONDS.toMillis(30));
    }

    @Test
    void theEngineClassesComeOnlyFromTheBundles() {
        for (String name : List.of("de.kherud.llama.LlamaModel", "io.jinference.engine.llamacpp.LlamaCppEngine")) {
            assertThat(getClass().getClassLoader().getResource(name.replace('.', '/') + ".class")).as(name).isNull();
        }
    }

    @Test
    void theEngineServesFromFelixAndSurvivesAnAdapterUpdate() throws Exception {
        Bundle runtime = install("jinference.itest.runtimeBundle");
        Bundle adapter = install("jinference.itest.adapterBundle");

        Map<String, Object> capability = engineCapability(adapter);
        assertThat(adapter.getState()).as("capability read before resolving").isEqualTo(Bundle.INSTALLED);
        assertThat(capability).containsEntry(EngineNamespace.ENGINE, "llama.cpp")
                .containsEntry(EngineNamespace.FORMATS, List.of("ggufv2"))
                .containsEntry(EngineNamespace.DEVICES, List.of("cpu"));
        assertThat(capability.get(EngineNamespace.VERSION)).isInstanceOf(Version.class);
        assertThat(capability.get(EngineNamespace.QUANTIZATIONS_PREFIX + "ggufv2")).asInstanceOf(
                org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
                .contains("q4_0", "q4_1", "q4_k_m", "q8_0", "f16", "iq4_xs");
        assertThat(adapter.getEntry((String) capability.get(EngineNamespace.MODELS_RESOURCE))).isNotNull();

        Path model = TinyGguf.writeDefault(dir.resolve("tiny.gguf"));
        ServiceTracker<InferenceEngine, InferenceEngine> engines =
                new ServiceTracker<>(felix.getBundleContext(), InferenceEngine.class, null);
        engines.open();
        try {
            adapter.start();
            assertThat(runtime.getState()).isEqualTo(Bundle.RESOLVED);
            InferenceEngine first = engines.waitForService(10_000);
            assertThat(first).isNotNull();
            assertThat(engines.getServiceReference().getProperty(EngineNamespace.SERVICE_ENGINE)).isEqualTo("llama.cpp");
            assertThat(first.probe(null).available()).isTrue();
            assertGenerates(first, model);

            long runtimeModified = runtime.getLastModified();
            BundleRevision runtimeRevision = runtime.adapt(BundleRevision.class);
            try (InputStream jar = Files.newInputStream(bundlePath("jinference.itest.adapterBundle"))) {
                adapter.update(jar);
            }

            InferenceEngine second = engines.waitForService(10_000);
            assertThat(second).isNotNull().isNotSameAs(first);
            assertGenerates(second, model);
            assertThat(runtime.getLastModified()).isEqualTo(runtimeModified);
            assertThat(runtime.adapt(BundleRevision.class)).isSameAs(runtimeRevision);
        } finally {
            engines.close();
        }
    }

    /** Each test starts its own Felix, so whichever runs second loads the natives into a second runtime bundle. */
    @Test
    void aSecondFrameworkInTheSameJvmRunsTheEngineToo() throws Exception {
        install("jinference.itest.runtimeBundle");
        Bundle adapter = install("jinference.itest.adapterBundle");
        ServiceTracker<InferenceEngine, InferenceEngine> engines =
                new ServiceTracker<>(felix.getBundleContext(), InferenceEngine.class, null);
        engines.open();
        try {
            adapter.start();
            InferenceEngine engine = engines.waitForService(10_000);
            assertThat(engine.probe(null).available()).as(String.valueOf(engine.probe(null).reason())).isTrue();
            assertGenerates(engine, TinyGguf.writeDefault(dir.resolve("second.gguf")));
        } finally {
            engines.close();
        }
    }

    private void assertGenerates(InferenceEngine engine, Path model) {
        LoadRequest request = new LoadRequest("tiny", null, null, "f32", model,
                Map.of("n_ctx", 256, "n_parallel", 1), List.of());
        try (RunningModel running = engine.load(request, new RenderingEngineContext(dir))) {
            StringBuilder text = new StringBuilder();
            Generation generation = running.complete(new CompletionRequest("Hello",
                    new SamplingParams(8, 0.0, null, null, null, List.of(), null, Map.of())), new TokenSink() {
                        @Override
                        public void onText(String delta) {
                            text.append(delta);
                        }

                        @Override
                        public boolean isCancelled() {
                            return false;
                        }
                    });
            assertThat(text).isNotEmpty();
            assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
            assertThat(generation.usage().completionTokens()).isEqualTo(8);
        }
    }

    private static Map<String, Object> engineCapability(Bundle bundle) {
        List<BundleCapability> capabilities =
                bundle.adapt(BundleRevision.class).getDeclaredCapabilities(EngineNamespace.NAMESPACE);
        assertThat(capabilities).hasSize(1);
        return capabilities.get(0).getAttributes();
    }

    private Bundle install(String property) throws Exception {
        return felix.getBundleContext().installBundle(bundlePath(property).toUri().toString());
    }

    private static Path bundlePath(String property) {
        String path = System.getProperty(property);
        assertThat(path).as("system property " + property + " (set by the itest pom)").isNotNull();
        Path bundle = Path.of(path);
        assertThat(bundle).as("bundle built by the reactor; run the build with -am").isRegularFile();
        return bundle;
    }
}
