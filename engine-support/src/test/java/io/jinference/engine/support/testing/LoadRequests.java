package io.jinference.engine.support.testing;

import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Load requests for engine tests: a chat family with one spec in the given format. */
public final class LoadRequests {
    private LoadRequests() {
    }

    public static LoadRequest of(String uid, String format, String quantization, Path modelPath,
            Map<String, Object> options, List<Integer> gpus) {
        ModelSpec spec = new ModelSpec(format, "0_1", List.of(quantization), Map.of(), null);
        ModelFamily family = new ModelFamily("tiny-llama", "A tiny random Llama for tests", List.of("en"),
                List.of("chat", "generate"), 2048, List.of("LlamaForCausalLM"), null, List.of(), List.of(),
                List.of(spec), null, false);
        return new LoadRequest(uid, family, spec, quantization, modelPath, options, gpus);
    }
}
