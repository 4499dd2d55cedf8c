"""Writes a Llama checkpoint of about 0.5B parameters (Qwen2-0.5B's shapes) whose weights are zeros, in two
float16 safetensors shards with an index, and the tokenizer of the tiny Llama. It exists to check the cluster's
safetensors memory estimate against what vLLM allocates (VllmMemoryEstimateTest); the model generates nothing useful.

Usage: python make-random-llama.py TINY_LLAMA_DIR OUT_DIR
"""
import json
import os
import shutil
import sys

import numpy as np
from safetensors.numpy import save_file

HIDDEN, LAYERS, HEADS, KV_HEADS, HEAD_DIM, INTERMEDIATE, VOCAB, POSITIONS = 896, 24, 14, 2, 64, 4864, 151936, 32768
TOKENIZER_FILES = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"]


def zeros(*shape):
    return np.zeros(shape, dtype=np.float16)


def main():
    tiny, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    for name in TOKENIZER_FILES:
        shutil.copy(os.path.join(tiny, name), os.path.join(out, name))
    config = {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "hidden_size": HIDDEN,
              "intermediate_size": INTERMEDIATE, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "num_key_value_heads": KV_HEADS, "head_dim": HEAD_DIM, "max_position_embeddings": POSITIONS,
              "vocab_size": VOCAB, "rms_norm_eps": 1e-6, "rope_theta": 1000000.0, "hidden_act": "silu",
              "tie_word_embeddings": True, "torch_dtype": "float16", "bos_token_id": 1, "eos_token_id": 2,
              "pad_token_id": 0}
    shards = [{"model.embed_tokens.weight": zeros(VOCAB, HIDDEN)}, {}]
    for layer in range(LAYERS):
        prefix = f"model.layers.{layer}."
        tensors = shards[0 if layer < LAYERS // 2 else 1]
        tensors[prefix + "self_attn.q_proj.weight"] = zeros(HEADS * HEAD_DIM, HIDDEN)
        tensors[prefix + "self_attn.k_proj.weight"] = zeros(KV_HEADS * HEAD_DIM, HIDDEN)
        tensors[prefix + "self_attn.v_proj.weight"] = zeros(KV_HEADS * HEAD_DIM, HIDDEN)
        tensors[prefix + "self_attn.o_proj.weight"] = zeros(HIDDEN, HEADS * HEAD_DIM)
        tensors[prefix + "mlp.gate_proj.weight"] = zeros(INTERMEDIATE, HIDDEN)
        tensors[prefix + "mlp.up_proj.weight"] = zeros(INTERMEDIATE, HIDDEN)
        tensors[prefix + "mlp.down_proj.weight"] = zeros(HIDDEN, INTERMEDIATE)
        tensors[prefix + "input_layernorm.weight"] = np.ones(HIDDEN, np.float16)
        tensors[prefix + "post_attention_layernorm.weight"] = np.ones(HIDDEN, np.float16)
    shards[1]["model.norm.weight"] = np.ones(HIDDEN, np.float16)
    weight_map = {}
    for number, tensors in enumerate(shards, start=1):
        name = f"model-{number:05d}-of-{len(shards):05d}.safetensors"
        save_file(tensors, os.path.join(out, name), metadata={"format": "pt"})
        weight_map.update({key: name for key in tensors})
    with open(os.path.join(out, "model.safetensors.index.json"), "w") as index:
        json.dump({"metadata": {}, "weight_map": weight_map}, index, indent=2)
    # the config last: its presence marks a whole checkpoint
    with open(os.path.join(out, "config.json"), "w") as file:
        json.dump(config, file, indent=2)


if __name__ == "__main__":
    main()
