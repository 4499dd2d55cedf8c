package io.jinference.registry;

import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import io.jinference.catalog.ModelCatalog;
import java.util.List;
import java.util.Map;

/** Custom families the registry tests need beyond the built-in catalog, each exercising one branch of a rule. */
final class RegistryFixture {
    private RegistryFixture() {
    }

    static ModelCatalog catalogWithTestFamilies(java.nio.file.Path home) {
        ModelCatalog catalog = ModelCatalog.open(home);
        catalog.register(family("gptq-zoo", List.of("chat"), "qwen2.5-instruct", spec("gptq", "Int2", "Int3")));
        catalog.register(family("awq-eight", List.of("chat"), "qwen2.5-instruct", spec("awq", "Int8")));
        catalog.register(family("orphan-model", List.of("chat"), null, spec("pytorch", "none")));
        catalog.register(family("embedder", List.of("embed"), "qwen2.5-instruct", spec("pytorch", "none")));
        catalog.register(family("fp4-model", List.of("chat"), "qwen2.5-instruct", spec("fp4", "fp4")));
        return catalog;
    }

    private static ModelSpec spec(String format, String... quantizations) {
        return new ModelSpec(format, "7", List.of(quantizations),
                Map.of("huggingface", new ModelSource("test/" + format + "-{quantization}", null, null)), null);
    }

    private static ModelFamily family(String name, List<String> abilities, String base, ModelSpec spec) {
        return new ModelFamily(name, "test family", List.of("en"), abilities, 4096, List.of(), null, List.of(), List.of(),
                List.of(spec), base, false);
    }
}
