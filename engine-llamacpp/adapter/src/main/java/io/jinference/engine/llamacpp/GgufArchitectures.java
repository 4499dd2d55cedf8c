package io.jinference.engine.llamacpp;

import java.util.Set;

/**
 * The {@code general.architecture} values llama.cpp b4916 (March 2025, the build inside java-llama.cpp 4.2.0) can
 * load, from its {@code LLM_ARCH_NAMES} table (checked against the strings of the shipped {@code libjllama.so}).
 * Newer architectures such as {@code qwen3}, {@code qwen3moe}, {@code llama4} and {@code glm4} came later and are
 * refused here with a clear message. The matching Hugging Face architecture classes, which the selection registry
 * reads without starting this bundle, are in {@code models.txt} next to this class.
 */
final class GgufArchitectures {

    static final Set<String> SUPPORTED = Set.of(
            "llama", "deci", "falcon", "grok", "gpt2", "gptj", "gptneox", "mpt", "baichuan", "starcoder", "refact",
            "bert", "nomic-bert", "jina-bert-v2", "bloom", "stablelm", "qwen", "qwen2", "qwen2moe", "qwen2vl", "phi2",
            "phi3", "phimoe", "plamo", "codeshell", "orion", "internlm2", "minicpm", "minicpm3", "gemma", "gemma2",
            "gemma3", "starcoder2", "mamba", "xverse", "command-r", "cohere2", "dbrx", "olmo", "olmo2", "olmoe",
            "openelm", "arctic", "deepseek", "deepseek2", "chatglm", "bitnet", "t5", "t5encoder", "jais", "nemotron",
            "exaone", "rwkv6", "rwkv6qwen2", "rwkv7", "arwkv7", "granite", "granitemoe", "chameleon",
            "wavtokenizer-dec");

    private GgufArchitectures() {
    }
}
