package io.jinference.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

final class XinferenceFamilyJsonTest {
    /** The flat registration body from Xinference's custom-model documentation, with a second quantization added. */
    private static final String FLAT = """
            {"version":2,"context_length":32768,"model_name":"custom-qwen-2.5","model_lang":["en","zh"],
             "model_ability":["generate"],"model_description":"a custom qwen","model_family":"qwen2.5-instruct",
             "model_specs":[
               {"model_format":"pytorch","model_size_in_billions":"0_5","quantization":"none","model_id":null,
                "model_hub":"huggingface","model_uri":"file:///path/to/models--Qwen--Qwen2.5-0.5B","model_revision":null},
               {"model_format":"gptq","model_size_in_billions":"0_5","quantization":"Int4",
                "model_id":"Qwen/Qwen2.5-0.5B-Instruct-GPTQ-{quantization}","model_hub":"huggingface"},
               {"model_format":"gptq","model_size_in_billions":"0_5","quantization":"Int8",
                "model_id":"Qwen/Qwen2.5-0.5B-Instruct-GPTQ-{quantization}","model_hub":"huggingface"},
               {"model_format":"gptq","model_size_in_billions":"0_5","quantization":"Int4",
                "model_id":"qwen/Qwen2.5-0.5B-Instruct-GPTQ-{quantization}","model_hub":"modelscope"}],
             "chat_template":null,"stop_token_ids":null,"stop":null,"is_builtin":false}
            """;

    @Test
    void flatSpecsMergeBackIntoSpecsPerFormatSizeAndLocation() {
        ModelFamily family = XinferenceFamilyJson.parse(FLAT);
        assertThat(family.name()).isEqualTo("custom-qwen-2.5");
        assertThat(family.baseFamily()).isEqualTo("qwen2.5-instruct");
        assertThat(family.abilities()).containsExactly("generate");
        assertThat(family.specs()).hasSize(2);
        ModelSpec local = family.specs().get(0);
        assertThat(local.modelUri()).isEqualTo("file:///path/to/models--Qwen--Qwen2.5-0.5B");
        assertThat(local.quantizations()).containsExactly("none");
        ModelSpec gptq = family.specs().get(1);
        assertThat(gptq.quantizations()).containsExactly("Int4", "Int8");
        assertThat(gptq.sources()).containsOnlyKeys("huggingface", "modelscope");
        assertThat(gptq.sources().get("modelscope").modelId()).isEqualTo("qwen/Qwen2.5-0.5B-Instruct-GPTQ-{quantization}");
    }

    @Test
    void toFlatWritesOneEntryPerHubAndQuantizationAndParsesBackToTheSameFamily() throws Exception {
        ModelFamily family = XinferenceFamilyJson.parse(FLAT);
        Map<String, Object> flat = XinferenceFamilyJson.toFlat(family);
        assertThat(flat).containsEntry("model_name", "custom-qwen-2.5").containsEntry("model_family", "qwen2.5-instruct")
                .containsEntry("version", 2).containsEntry("is_builtin", false);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> specs = (List<Map<String, Object>>) flat.get("model_specs");
        assertThat(specs).hasSize(5).allSatisfy(spec -> assertThat(spec).containsKeys("quantization", "model_hub"));
        String json = new ObjectMapper().writeValueAsString(flat);
        assertThat(XinferenceFamilyJson.parse(json)).isEqualTo(family);
    }

    @Test
    void aParsedRegistrationCanBeRegisteredAndInheritsFromItsFamily(@TempDir Path home) {
        ModelCatalog catalog = ModelCatalog.open(home);
        ModelFamily registered = catalog.register(XinferenceFamilyJson.parse(FLAT));
        assertThat(catalog.architecturesOf(registered)).containsExactly("Qwen2ForCausalLM");
        assertThat(ModelCatalog.open(home).find("custom-qwen-2.5")).contains(registered);
    }

    @Test
    void builtInFamiliesRenderInTheFlatShape() {
        ModelFamily qwen3 = ModelCatalog.open(Path.of("target/no-such-home")).find("qwen3").orElseThrow();
        Map<String, Object> flat = XinferenceFamilyJson.toFlat(qwen3);
        assertThat(flat).containsEntry("is_builtin", true).containsEntry("architectures", List.of("Qwen3ForCausalLM"));
        assertThat(XinferenceFamilyJson.parse(toJson(flat)).specs())
                .extracting(ModelSpec::format).contains("pytorch", "ggufv2", "mlx");
    }

    @Test
    void malformedJsonIsACatalogErrorNotACrash() {
        assertThatThrownBy(() -> XinferenceFamilyJson.parse("{\"model_name\": ")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> XinferenceFamilyJson.parse("[1]")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("JSON object");
        assertThatThrownBy(() -> XinferenceFamilyJson.parse("{\"model_specs\": []}")).isInstanceOf(CatalogException.class)
                .hasMessageContaining("lacks model_name");
        assertThatThrownBy(() -> XinferenceFamilyJson.parse("{\"model_name\": \"x\", \"model_specs\": [{\"model_format\": \"pytorch\"}]}"))
                .isInstanceOf(CatalogException.class).hasMessageContaining("model_size_in_billions");
    }

    @Test
    void numericSizesTakeTheCatalogSpelling() {
        ModelFamily family = XinferenceFamilyJson.parse("{\"model_name\":\"sized\",\"model_ability\":[\"chat\"],"
                + "\"model_specs\":[{\"model_format\":\"pytorch\",\"model_size_in_billions\":1.8,\"quantization\":\"none\","
                + "\"model_id\":\"a/b\"},{\"model_format\":\"pytorch\",\"model_size_in_billions\":\"1_8\","
                + "\"quantization\":\"8-bit\",\"model_id\":\"a/b\"}]}");
        assertThat(family.specs()).singleElement().satisfies(spec -> {
            assertThat(spec.sizeInBillions()).isEqualTo("1_8");
            assertThat(spec.quantizations()).containsExactly("none", "8-bit");
        });
    }

    @Test
    void ggufTemplatesSurviveTheRoundTrip() {
        ModelFamily family = new ModelFamily("gguf-x", "", List.of(), List.of("chat"), 2048, List.of(), null, List.of(),
                List.of(), List.of(new ModelSpec("ggufv2", "7", List.of("Q4_0", "Q8_0"), Map.of("huggingface",
                        new ModelSource("x/y-GGUF", "y-{quantization}.gguf", "abc")), null)), null, false);
        assertThat(XinferenceFamilyJson.parse(toJson(XinferenceFamilyJson.toFlat(family)))).isEqualTo(family);
    }

    private static String toJson(Object value) {
        try {
            return new ObjectMapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
