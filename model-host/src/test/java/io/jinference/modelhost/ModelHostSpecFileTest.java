package io.jinference.modelhost;

import static org.assertj.core.api.Assertions.assertThat;

import io.jinference.api.GpuDevice;
import io.jinference.api.HostProfile;
import io.jinference.api.LoadRequest;
import io.jinference.api.ModelFamily;
import io.jinference.api.ModelSource;
import io.jinference.api.ModelSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load request reaches the model host exactly as the server resolved it. */
final class ModelHostSpecFileTest {
    @TempDir
    Path workDir;

    @Test
    void theLoadRequestTravelsUnchanged() {
        ModelSpec spec = new ModelSpec("ggufv2", "0_135", List.of("q4_1"),
                Map.of("huggingface", new ModelSource("HuggingFaceTB/SmolLM2-135M-Instruct-GGUF",
                        "smollm2-{quantization}.gguf", null)),
                null);
        ModelFamily family = new ModelFamily("smollm2-instruct", "A small model", List.of("en"),
                List.of("chat", "generate"), 8192, List.of("LlamaForCausalLM"), "{{ messages }}", List.of("<|im_end|>"),
                List.of(2), List.of(spec), null, true);
        LoadRequest request = new LoadRequest("smol", family, spec, "q4_1", workDir.resolve("a model.gguf"),
                Map.of("n_ctx", 512, "embedding", true, "pooling", "last"), List.of(0));
        HostProfile host = new HostProfile("linux", "x86_64", 2, 24L << 30, List.of("avx2"),
                List.of(new GpuDevice(0, "cuda", "stand-in GPU", 16L << 30, "8.0")), false, true);
        ModelHostSpec written = new ModelHostSpec(request, "io.jinference.engine.llamacpp", "0.1.0.SNAPSHOT",
                List.of(workDir.resolve("runtime.jar"), workDir.resolve("adapter.jar")), workDir, host, 41234);

        ModelHostSpec read = ModelHostSpecFile.read(ModelHostSpecFile.write(workDir, written));

        assertThat(read).isEqualTo(written);
        assertThat(read.request().intOption("n_ctx", 0)).isEqualTo(512);
        assertThat(read.request().booleanOption("embedding", false)).isTrue();
    }
}
