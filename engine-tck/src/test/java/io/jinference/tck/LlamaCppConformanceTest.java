package io.jinference.tck;

import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import io.jinference.testing.TinyGguf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** The llama.cpp engine (runtime + adapter bundles, as the reactor built them) passes the kit on the tiny GGUF. */
class LlamaCppConformanceTest {

    private static final String CHAT_ML = "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n'"
            + " + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    @TempDir
    Path folder;

    /** One run with two models: the kit's framework is the only one in this JVM to load llama.cpp's natives. */
    @TestFactory
    Stream<DynamicTest> llamaCppConforms() {
        Path file = TinyGguf.writeDefault(folder.resolve("tiny.gguf"));
        return EngineConformance.forBundleJar(Path.of(System.getProperty("llamacpp.adapter")),
                        Path.of(System.getProperty("llamacpp.runtime")))
                .model(model("chat", file, List.of("generate", "chat"), Map.of("n_parallel", 2)))
                .model(model("embed", file, List.of("embed"), Map.of("embedding", true)))
                .dynamicTests();
    }

    private static LoadRequest model(String uid, Path file, List<String> abilities, Map<String, Object> options) {
        ModelSpec spec = new ModelSpec("ggufv2", "0_0001", List.of("f32"), Map.of(), null);
        ModelFamily family = new ModelFamily("tiny-llama", "generated test model", List.of("en"), abilities, 256,
                List.of("LlamaForCausalLM"), CHAT_ML, List.of(), List.of(), List.of(spec), null, false);
        return new LoadRequest(uid, family, spec, "f32", file, options, List.of());
    }
}
