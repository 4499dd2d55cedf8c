package io.jinference.engine.transformers.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.testing.LoadRequests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class TransformersServerCommandTest {
    private static final Path PYTHON = Path.of("/venv/bin/python");
    private static final Path SCRIPT = Path.of("/work/openai_server.py");
    private static final Path CHECKPOINT = Path.of("/models/tiny");

    private static ProcessSpec build(Map<String, Object> options, List<Integer> gpus, Path template) {
        LoadRequest request = LoadRequests.of("tiny-uid", "pytorch", "none", CHECKPOINT, options, gpus);
        return TransformersServerCommand.build(request, PYTHON, SCRIPT, 41234, Path.of("/work"), template);
    }

    @Test
    void onTheCpuTheScriptServesTheCheckpointUnderTheUidInFloat32ByDefault() {
        ProcessSpec spec = build(Map.of("model_backend", "python", "launch_timeout", 120, "max_restarts", 1),
                List.of(), null);

        assertThat(spec.command()).containsExactly("/venv/bin/python", "/work/openai_server.py", "--model",
                "/models/tiny", "--served-model-name", "tiny-uid", "--host", "127.0.0.1", "--port", "41234",
                "--device", "cpu", "--dtype", "auto");
        assertThat(spec.healthUrl().toString()).isEqualTo("http://127.0.0.1:41234/health");
        assertThat(spec.environment()).containsEntry("HF_HUB_OFFLINE", "1").doesNotContainKey("CUDA_VISIBLE_DEVICES");
        assertThat(spec.startupTimeout().toSeconds()).isEqualTo(120);
        assertThat(spec.maxRestarts()).isEqualTo(1);
    }

    @Test
    void gpusBecomeCudaVisibleDevicesWithDeviceMapAndTheOptionsTheirFlags() {
        ProcessSpec spec = build(Map.of("dtype", "bfloat16", "n_threads", 4, "attn_implementation", "eager",
                "max_model_len", 2048), List.of(1, 3), Path.of("/work/chat_template.jinja"));

        assertThat(spec.environment()).containsEntry("CUDA_VISIBLE_DEVICES", "1,3");
        assertThat(String.join(" ", spec.command())).contains("--device cuda", "--dtype bfloat16", "--threads 4",
                "--attn-implementation eager", "--max-model-len 2048", "--chat-template /work/chat_template.jinja");
    }

    @Test
    void torchDtypeAndContextLengthAreTheInJvmBackendsSpellingsOfTheSameKeys() {
        ProcessSpec spec = build(Map.of("torch_dtype", "Float16", "context_length", 512), List.of(), null);

        assertThat(String.join(" ", spec.command())).contains("--dtype float16", "--max-model-len 512");
    }

    @Test
    void aKeyTheServerHasNoFlagForIsRefusedNotIgnored() {
        assertThatThrownBy(() -> build(Map.of("enforce_eager", true, "n_ctx", 128), List.of(), null))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("The Python transformers backend does not understand the launch options"
                        + " [enforce_eager, n_ctx]")
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
    }

    @Test
    void badValuesAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> build(Map.of("dtype", "int4"), List.of(), null)).isInstanceOf(EngineException.class)
                .hasMessage("Launch option dtype must be one of [auto, bfloat16, float16, float32], got 'int4'");
        assertThatThrownBy(() -> build(Map.of("n_threads", 0), List.of(), null)).hasMessageContaining("n_threads");
        assertThatThrownBy(() -> build(Map.of("attn_implementation", "x; rm -rf /"), List.of(), null))
                .hasMessageContaining("attn_implementation");
    }
}
