"""Writes a tiny random Llama checkpoint in Hugging Face format (config, safetensors, tokenizer) without torch.

Usage: python make-tiny-llama.py OUT_DIR
The weights are random (seeded), so the text it generates is gibberish; it exists to run real engine servers
(vLLM, mlx_lm) quickly on a CPU. The tokenizer is a byte-level BPE trained on a few sentences.
"""
import json
import os
import sys

import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

# head_dim 64: vLLM's CPU attention supports only some head sizes (16 fails with "Unsupported CPU attention
# configuration").
HIDDEN, LAYERS, HEADS, KV_HEADS, INTERMEDIATE, CONTEXT = 128, 2, 2, 2, 256, 2048
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)
CORPUS = [
    "The quick brown fox jumps over the lazy dog.",
    "Jinference serves large language models on the JVM with engines that hot-plug as OSGi bundles.",
    "Hello! How are you today? I am a tiny model and my answers are random words.",
    "vLLM, SGLang and MLX run as managed engine servers; llama.cpp runs GGUF models in process.",
] * 50


def tokenizer(out):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=SPECIALS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(CORPUS, trainer)
    tok.save(os.path.join(out, "tokenizer.json"))
    with open(os.path.join(out, "tokenizer_config.json"), "w") as f:
        json.dump({"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|im_start|>",
                   "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
                   "model_max_length": CONTEXT, "chat_template": CHAT_TEMPLATE}, f, indent=2)
    with open(os.path.join(out, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": "<|im_start|>", "eos_token": "<|im_end|>", "pad_token": "<|endoftext|>"}, f)
    return tok


def weights(vocab):
    rng = np.random.default_rng(1234)
    head_dim = HIDDEN // HEADS

    def dense(rows, cols):
        return (rng.standard_normal((rows, cols)) * 0.05).astype(np.float32)

    tensors = {"model.embed_tokens.weight": dense(vocab, HIDDEN), "model.norm.weight": np.ones(HIDDEN, np.float32),
               "lm_head.weight": dense(vocab, HIDDEN)}
    for i in range(LAYERS):
        p = f"model.layers.{i}."
        tensors.update({
            p + "self_attn.q_proj.weight": dense(HEADS * head_dim, HIDDEN),
            p + "self_attn.k_proj.weight": dense(KV_HEADS * head_dim, HIDDEN),
            p + "self_attn.v_proj.weight": dense(KV_HEADS * head_dim, HIDDEN),
            p + "self_attn.o_proj.weight": dense(HIDDEN, HEADS * head_dim),
            p + "mlp.gate_proj.weight": dense(INTERMEDIATE, HIDDEN),
            p + "mlp.up_proj.weight": dense(INTERMEDIATE, HIDDEN),
            p + "mlp.down_proj.weight": dense(HIDDEN, INTERMEDIATE),
            p + "input_layernorm.weight": np.ones(HIDDEN, np.float32),
            p + "post_attention_layernorm.weight": np.ones(HIDDEN, np.float32),
        })
    return tensors


def main(out):
    os.makedirs(out, exist_ok=True)
    tok = tokenizer(out)
    vocab = tok.get_vocab_size()
    eos = tok.token_to_id("<|im_end|>")
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
              "intermediate_size": INTERMEDIATE, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "num_key_value_heads": KV_HEADS, "head_dim": HIDDEN // HEADS, "max_position_embeddings": CONTEXT,
              "vocab_size": vocab, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "hidden_act": "silu",
              "tie_word_embeddings": False, "torch_dtype": "float32", "bos_token_id": tok.token_to_id("<|im_start|>"),
              "eos_token_id": eos, "pad_token_id": tok.token_to_id("<|endoftext|>")}
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(out, "generation_config.json"), "w") as f:
        json.dump({"eos_token_id": eos, "max_length": CONTEXT}, f)
    save_file(weights(vocab), os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    print(out)


if __name__ == "__main__":
    main(sys.argv[1])
