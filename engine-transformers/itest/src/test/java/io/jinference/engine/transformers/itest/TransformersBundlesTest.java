package io.jinference.engine.transformers.itest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jinference.api.ChatMessage;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.EngineNamespace;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import io.jinference.api.SamplingParams;
import io.jinference.api.TokenSink;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.util.tracker.ServiceTracker;

/** The two bundles the reactor built, in a real Felix, exactly as the launcher installs engines. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TransformersBundlesTest {
    @TempDir
    static Path storage;
    private static Framework framework;
    private static Bundle runtime;
    private static Bundle adapter;

    @BeforeAll
    static void startFelix() throws Exception {
        Map<String, String> config = Map.of(
                Constants.FRAMEWORK_STORAGE, storage.resolve("felix").toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, io.jinference.host.ApiExports.apiPackages() + ",org.slf4j;version=2.0.17",
                "jinference.home", storage.resolve("home").toString());
        // Reuse one extracted libtorch across runs instead of 450 MB per temporary home.
        System.setProperty("DJL_CACHE_DIR", cacheRoot().resolve("djl").toString());
        framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
        framework.start();
        BundleContext context = framework.getBundleContext();
        runtime = context.installBundle(new File(System.getProperty("runtime.bundle")).toURI().toString());
        adapter = context.installBundle(new File(System.getProperty("adapter.bundle")).toURI().toString());
    }

    @AfterAll
    static void stopFelix() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }

    static Path cacheRoot() {
        String cache = System.getProperty("jinference.cache");
        if (cache == null || cache.isBlank() || cache.startsWith("${")) {
            cache = System.getenv().getOrDefault("JINFERENCE_CACHE",
                    Path.of(System.getProperty("user.home"), ".cache", "jinference").toString());
        }
        return Path.of(cache);
    }

    @Test
    @Order(1)
    void capabilitiesAreReadableBeforeTheBundleStarts() {
        assertThat(adapter.getState()).isEqualTo(Bundle.INSTALLED);
        var capabilities = adapter.adapt(BundleRevision.class).getDeclaredCapabilities(EngineNamespace.NAMESPACE);
        assertThat(capabilities).hasSize(1);
        Map<String, Object> attributes = capabilities.get(0).getAttributes();
        assertThat(attributes).containsEntry(EngineNamespace.ENGINE, "Transformers");
        assertThat(attributes.get(EngineNamespace.FORMATS)).asInstanceOf(LIST).containsExactly("pytorch");
        assertThat(attributes.get("quantizations.pytorch")).asInstanceOf(LIST).containsExactly("none");
        assertThat(attributes.get(EngineNamespace.DEVICES)).asInstanceOf(LIST).containsExactly("cpu");
        assertThat(attributes.get(EngineNamespace.ABILITIES)).asInstanceOf(LIST)
                .containsExactly("generate", "chat", "tools", "ignore_eos");
        assertThat(attributes.get(EngineNamespace.ARCHITECTURES)).asInstanceOf(LIST).containsExactly(
                "LlamaForCausalLM", "MistralForCausalLM", "Qwen2ForCausalLM", "Qwen3ForCausalLM");
    }

    @Test
    @Order(2)
    void serviceProbesLibtorchAndServesACheckpoint() throws Exception {
        runtime.start();
        adapter.start();
        ServiceTracker<InferenceEngine, InferenceEngine> tracker = new ServiceTracker<>(framework.getBundleContext(),
                framework.getBundleContext().createFilter("(&(objectClass=" + InferenceEngine.class.getName()
                        + ")(engine=Transformers))"), null);
        tracker.open();
        try {
            InferenceEngine engine = tracker.waitForService(10_000);
            assertThat(engine).isNotNull();
            ProbeResult probe = engine.probe(host());
            assertThat(probe.available()).as("probe: %s", probe.reason()).isTrue();
            assertThat(probe.runtime()).contains("DJL 0.36.0").contains("libtorch 2.7.1");

            Path checkpoint = cacheRoot().resolve("transformers-reference").resolve("qwen3");
            boolean present = Files.isRegularFile(checkpoint.resolve("config.json"));
            if (!present && Boolean.getBoolean("transformers.references.required")) {
                fail("No reference checkpoint at " + checkpoint + ": run scripts/prepare-test-models.sh");
            }
            assumeTrue(present, "No reference checkpoint at " + checkpoint);
            LoadRequest request = new LoadRequest("tiny-qwen3", null, null, "none", checkpoint, Map.of(), List.of());
            try (RunningModel model = engine.load(request, new CompletionOnlyContext(storage))) {
                StringBuilder text = new StringBuilder();
                Generation generation = model.complete(new CompletionRequest("Hello",
                        new SamplingParams(6, 0.0, null, null, null, List.of(), null, Map.of())), new TokenSink() {
                            @Override
                            public void onText(String delta) {
                                text.append(delta);
                            }

                            @Override
                            public boolean isCancelled() {
                                return false;
                            }
                        });
                assertThat(generation.usage().promptTokens()).isEqualTo(5);
                assertThat(generation.usage().completionTokens()).isEqualTo(6);
                assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
            }
        } finally {
            tracker.close();
        }
    }

    private static HostProfile host() {
        return new HostProfile("linux", "x86_64", 2, 1L << 30, List.of(), List.of(), false, true);
    }

    /** This test only runs completions, so it needs no Jinja renderer. */
    private record CompletionOnlyContext(Path home) implements EngineContext {
        @Override
        public Path workDir() {
            return home;
        }

        @Override
        public HostProfile host() {
            return TransformersBundlesTest.host();
        }

        @Override
        public String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables) {
            throw new EngineException(EngineException.Kind.UNSUPPORTED, "This test context renders no chat templates");
        }
    }
}
