package io.jinference.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.HostProfile;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import io.jinference.api.Reason;
import io.jinference.api.ReasonCode;
import io.jinference.catalog.CatalogException;
import io.jinference.catalog.ModelCatalog;
import io.jinference.host.HostProbe;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One engine, two backends (llama.cpp: llama-server and in-JVM), as real bundles in a real Felix whose stand-in
 * engine services answer the runtime probe: the server backend wins where its runtime is found, the in-JVM one
 * otherwise, the choice says why, either can be pinned, and both appear in the explanation.
 */
final class BackendSelectionTest {
    static final String SERVER = "io.jinference.engine;engine=llama.cpp;backend=server;version:Version=0.1.0"
            + ";formats:List<String>=ggufv2;os:List<String>=\"linux,macos,windows\";arch:List<String>=\"x86_64,aarch64\""
            + ";devices:List<String>=cpu;abilities:List<String>=\"generate,chat,embed\";priority:Long=60";
    /** Like the adapter's models.txt: architectures of llama.cpp b4916, without Qwen3. */
    static final String JVM = "io.jinference.engine;engine=llama.cpp;backend=jvm;version:Version=0.1.0"
            + ";formats:List<String>=ggufv2;os:List<String>=\"linux,macos,windows\";arch:List<String>=\"x86_64,aarch64\""
            + ";devices:List<String>=cpu;abilities:List<String>=\"generate,chat,embed\""
            + ";architectures:List<String>=\"LlamaForCausalLM,Qwen2ForCausalLM\";priority:Long=50";

    @TempDir
    Path dir;
    private EmbeddedFelix felix;
    private EngineRegistry registry;
    private Selector selector;
    private TestEngineBundles bundles;
    private final HostProfile thisMachine = HostProbe.probe();

    @BeforeEach
    void startFelix() throws Exception {
        felix = new EmbeddedFelix(dir.resolve("felix"));
        bundles = new TestEngineBundles(dir);
        registry = new EngineRegistry(felix.context());
        registry.open();
        ModelCatalog catalog = RegistryFixture.catalogWithTestFamilies(dir.resolve("home"));
        catalog.register(new ModelFamily("tiny-qwen3", "a Qwen3 GGUF", List.of("en"), List.of("chat"), 4096,
                List.of("Qwen3ForCausalLM"), null, List.of(), List.of(),
                List.of(new ModelSpec("ggufv2", "0_6", List.of("Q8_0"),
                        Map.of("huggingface", new ModelSource("test/qwen3-gguf", "tiny-qwen3-{quantization}.gguf", null)), null)),
                null, false));
        selector = new Selector(registry, catalog, SelectionPolicy.defaults());
    }

    @AfterEach
    void stopFelix() throws Exception {
        registry.close();
        felix.close();
    }

    private void install(boolean serverRuntimeFound) throws Exception {
        felix.install(bundles.withStandInService("test.llamacpp.server", "0.1.0", SERVER, serverRuntimeFound
                ? Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                        "X-StandIn-Runtime", "llama-server b11434 (cpu, 148 GGUF architectures)")
                : Map.of("X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "missing",
                        "X-StandIn-Note", "No llama-server found: run `jinf runtimes install llama.cpp`"))).start();
        felix.install(bundles.withStandInService("test.llamacpp.jvm", "0.1.0", JVM, Map.of(
                "X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                "X-StandIn-Runtime", "llama.cpp b4916 (de.kherud:llama 4.2.0)"))).start();
    }

    @Test
    void theServerBackendWinsWhereLlamaServerIsFound() throws Exception {
        install(true);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), thisMachine);

        assertThat(decision.choice().engine().backend()).isEqualTo("server");
        assertThat(decision.choice().why()).startsWith("llama.cpp 0.1.0 (server): first in policy")
                .endsWith("; backend server (preferred over the jvm backend, which could run it too, by capability"
                        + " priority)");
        assertThat(decision.candidates()).extracting(EngineCandidate::label)
                .containsExactly("llama.cpp 0.1.0 (server)", "llama.cpp 0.1.0 (jvm)");
        assertThat(decision.explanation()).contains("- llama.cpp 0.1.0 (server): can run ggufv2")
                .contains("[runtime: llama-server b11434 (cpu, 148 GGUF architectures)]")
                .contains("- llama.cpp 0.1.0 (jvm): can run ggufv2");
        assertThat(decision.xinferenceView()).containsOnlyKeys("llama.cpp");
    }

    @Test
    void aWinningBackendsStatedPreferenceIsQuotedInTheChoice() throws Exception {
        felix.install(bundles.withStandInService("test.llamacpp.server", "0.1.0", SERVER
                + ";backend.preference=\"it decodes faster (measured)\"", Map.of("X-StandIn-Engine", "llama.cpp",
                        "X-StandIn-Probe", "available", "X-StandIn-Runtime", "llama-server b11434"))).start();
        felix.install(bundles.withStandInService("test.llamacpp.jvm", "0.1.0", JVM, Map.of(
                "X-StandIn-Engine", "llama.cpp", "X-StandIn-Probe", "available",
                "X-StandIn-Runtime", "llama.cpp b4916 (de.kherud:llama 4.2.0)"))).start();

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), thisMachine);

        assertThat(decision.choice().why()).endsWith("; backend server (preferred over the jvm backend, which could run"
                + " it too, by capability priority: it decodes faster (measured))");
        Decision qwen3 = selector.decide(SelectionRequest.of("tiny-qwen3"), thisMachine);
        assertThat(qwen3.choice().why()).as("quoted only where the other backend could run the model")
                .doesNotContain("decodes faster").contains("the jvm backend cannot: MODEL_UNSUPPORTED");
    }

    @Test
    void withoutLlamaServerTheInJvmBackendServesAndTheChoiceSaysWhy() throws Exception {
        install(false);

        Decision decision = selector.decide(SelectionRequest.of("smollm2-instruct"), thisMachine);

        assertThat(decision.choice().engine().backend()).isEqualTo("jvm");
        assertThat(decision.choice().why()).endsWith("; backend jvm (the server backend cannot: RUNTIME_MISSING:"
                + " No llama-server found: run `jinf runtimes install llama.cpp`)");
        assertThat(decision.explanation()).contains("- llama.cpp 0.1.0 (server): cannot: RUNTIME_MISSING");
    }

    @Test
    void aBackendCanBePinned() throws Exception {
        install(true);

        Decision jvm = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, null, null, "JVM"),
                thisMachine);

        assertThat(jvm.choice().engine().label()).isEqualTo("llama.cpp 0.1.0 (jvm)");
        assertThat(jvm.choice().why()).endsWith("; backend jvm as pinned by the request (model_backend)");
        assertThat(jvm.candidates()).extracting(EngineCandidate::backend).containsExactly("jvm");
    }

    @Test
    void aLaunchPinsTheBackendWithItsModelBackendOption() {
        assertThat(SelectionRequest.backendOf(Map.of("model_backend", " server ", "n_ctx", 512))).isEqualTo("server");
        assertThat(SelectionRequest.backendOf(Map.of("n_ctx", 512))).isNull();
        assertThat(SelectionRequest.backendOf(Map.of("model_backend", ""))).isNull();
    }

    @Test
    void pinningAnUnavailableBackendChoosesNothingAndSaysWhy() throws Exception {
        install(false);

        Decision server = selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, "llama.cpp", null,
                "server"), thisMachine);

        assertThat(server.choice()).isNull();
        assertThat(server.candidates()).singleElement().satisfies(candidate -> assertThat(candidate.reasons())
                .extracting(Reason::code).containsExactly(ReasonCode.RUNTIME_MISSING));
        assertThat(server.explanation()).contains("No installed engine can run smollm2-instruct")
                .contains("jinf runtimes install llama.cpp");
    }

    @Test
    void anUnknownBackendIsARequestError() throws Exception {
        install(true);

        assertThatThrownBy(() -> selector.decide(new SelectionRequest("smollm2-instruct", null, null, null, null, null,
                "gpu"), thisMachine)).isInstanceOf(CatalogException.class)
                .hasMessage("Backend 'gpu' is not offered by any installed engine; installed backends: [jvm, server]");
    }

    @Test
    void aQwen3ModelRunsOnTheServerBackendOnlyAndTheInJvmOneSaysWhyNot() throws Exception {
        install(true);

        Decision decision = selector.decide(SelectionRequest.of("tiny-qwen3"), thisMachine);

        assertThat(decision.choice().engine().label()).isEqualTo("llama.cpp 0.1.0 (server)");
        EngineCandidate jvm = decision.candidates().get(1);
        assertThat(jvm.available()).isFalse();
        assertThat(jvm.reasons()).extracting(Reason::code).containsExactly(ReasonCode.MODEL_UNSUPPORTED);
        assertThat(jvm.reasons().get(0).message()).contains("Qwen3ForCausalLM");
        assertThat(decision.choice().why()).contains("the jvm backend cannot: MODEL_UNSUPPORTED");

        Decision pinned = selector.decide(new SelectionRequest("tiny-qwen3", null, null, null, null, null, "jvm"),
                thisMachine);
        assertThat(pinned.choice()).isNull();
        assertThat(pinned.explanation()).contains("MODEL_UNSUPPORTED").contains("Qwen3ForCausalLM");
    }
}
