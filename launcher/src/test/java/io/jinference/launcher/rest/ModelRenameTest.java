package io.jinference.launcher.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** mlx_lm serves every model as "default_model": the pass-through shows clients the UID instead, nothing else. */
final class ModelRenameTest {
    private final ModelRename rename = new ModelRename("default_model", "my-model");

    @Test
    void renamesTheModelFieldOfEveryEventWhateverTheSpacing() {
        String events = "data: {\"id\":\"1\",\"model\":\"default_model\",\"choices\":[]}\n\n"
                + "data: {\"id\": \"2\", \"model\": \"default_model\", \"choices\": [{\"delta\": {\"content\": \"é\"}}]}\n\n"
                + "data: [DONE]\n\n";

        assertThat(renamed(events)).isEqualTo(events.replace("\"default_model\"", "\"my-model\""));
    }

    @Test
    void leavesTheSameNameElsewhereAlone() {
        String document = "{\"model\":\"default_model\",\"choices\":[{\"message\":{\"content\":\"the default_model "
                + "said \\\"model\\\": \\\"default_model\\\"\"}}]}";

        assertThat(renamed(document)).startsWith("{\"model\":\"my-model\",")
                .contains("the default_model said \\\"model\\\": \\\"default_model\\\"");
    }

    private String renamed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return new String(rename.apply(bytes, bytes.length), StandardCharsets.UTF_8);
    }
}
