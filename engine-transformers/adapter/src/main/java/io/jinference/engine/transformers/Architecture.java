package io.jinference.engine.transformers;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Hugging Face decoder classes this engine implements. They share one layer shape (RMSNorm, rotary attention
 * with grouped KV heads, SwiGLU MLP) and differ only in these flags.
 */
enum Architecture {
    LLAMA("LlamaForCausalLM", false, false),
    MISTRAL("MistralForCausalLM", false, false),
    /** Qwen2 always has biases on the q, k and v projections. */
    QWEN2("Qwen2ForCausalLM", true, false),
    /** Qwen3 normalises each query and key head (q_norm, k_norm) before the rotary embedding. */
    QWEN3("Qwen3ForCausalLM", false, true);

    final String className;
    final boolean alwaysQkvBias;
    final boolean headNorm;

    Architecture(String className, boolean alwaysQkvBias, boolean headNorm) {
        this.className = className;
        this.alwaysQkvBias = alwaysQkvBias;
        this.headNorm = headNorm;
    }

    static Optional<Architecture> byClassName(String className) {
        return Arrays.stream(values()).filter(a -> a.className.equals(className)).findFirst();
    }

    static List<String> classNames() {
        return Arrays.stream(values()).map(a -> a.className).toList();
    }
}
