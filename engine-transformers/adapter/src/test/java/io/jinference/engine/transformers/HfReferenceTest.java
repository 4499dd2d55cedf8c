package io.jinference.engine.transformers;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The engine against Hugging Face transformers itself: tiny random checkpoints and reference.json files written by
 * {@code scripts/transformers-reference.py checkpoints} (run by {@code scripts/transformers-e2e.sh}). Prompt logits
 * and every greedy step's logits must agree within 1e-3 in float32, and the 32 greedy tokens must be identical.
 * {@code llama-bf16} stores its weights in bfloat16; transformers' reference ran those same weights in float32.
 */
class HfReferenceTest {
    private static final double TOLERANCE = 1e-3;

    @BeforeAll
    static void startLibtorch() {
        DjlRuntime.engine();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "mistral", "qwen2", "qwen3", "llama-bf16"})
    void float32MatchesTransformers(String name) throws IOException {
        Path folder = ReferenceCheckpoints.folder(name);
        JsonObject reference = JsonParser.parseString(Files.readString(folder.resolve("reference.json"))).getAsJsonObject();
        long[] prompt = longs(reference.getAsJsonArray("prompt"));
        List<Long> expectedGreedy = asList(longs(reference.getAsJsonArray("greedy")));
        try (NDManager root = DjlRuntime.call(NDManager::newBaseManager);
                DecoderModel model = Checkpoint.loadModel(folder, root, "float32")) {
            assertThat(model.config().architecture().className).isEqualTo(reference.get("architecture").getAsString());
            ReferenceRun run = ReferenceRun.greedy(model, prompt, expectedGreedy.size());
            assertThat(maxAbsDiff(run.promptLogits(), reference.getAsJsonArray("prompt_logits")))
                    .as("prompt logits of %s", name).isLessThanOrEqualTo(TOLERANCE);
            assertThat(maxAbsDiff(run.stepLogits(), reference.getAsJsonArray("step_logits")))
                    .as("greedy step logits of %s", name).isLessThanOrEqualTo(TOLERANCE);
            assertThat(run.tokens()).as("greedy tokens of %s", name).isEqualTo(expectedGreedy);
        }
    }

    static double maxAbsDiff(float[][] actual, JsonArray expected) {
        assertThat(actual.length).isEqualTo(expected.size());
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            JsonArray row = expected.get(i).getAsJsonArray();
            assertThat(actual[i].length).isEqualTo(row.size());
            for (int j = 0; j < row.size(); j++) {
                max = Math.max(max, Math.abs(actual[i][j] - row.get(j).getAsDouble()));
            }
        }
        return max;
    }

    static long[] longs(JsonArray array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsLong();
        }
        return values;
    }

    static List<Long> asList(long[] values) {
        List<Long> list = new ArrayList<>();
        for (long v : values) {
            list.add(v);
        }
        return list;
    }
}
