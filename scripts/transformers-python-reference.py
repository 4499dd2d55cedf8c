"""Reference data for the Transformers engine's Python backend, made by Hugging Face transformers itself (CPU).

  checkpoints OUT  tiny random checkpoints of architectures the in-JVM backend does not implement (Gemma 2, Gemma 3,
                   Phi-3, Qwen2-MoE, GPT-NeoX, OLMo) under OUT/<name>/, each with reference.json: a chat conversation
                   and a plain prompt, their prompt token ids and the 32-token greedy continuation transformers'
                   generate() gives for each, with the checkpoint's own chat template and generation_config.json.
                   The checkpoints reuse transformers-reference.py's byte-level tokenizer and ChatML template.
"""
import importlib.util
import json
import os
import sys

import torch
from transformers import (AutoModelForCausalLM, AutoTokenizer, Gemma2Config, Gemma3TextConfig, GPTNeoXConfig,
                          OlmoConfig, Phi3Config, Qwen2MoeConfig)

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("transformers_reference", os.path.join(here, "transformers-reference.py"))
base = importlib.util.module_from_spec(spec)
spec.loader.exec_module(base)

GREEDY_STEPS = 32
MESSAGES = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Hello! The sky is"}]
PROMPT = "Hello! The sky is"


def tiny_configs():
    tokens = dict(vocab_size=base.VOCAB, bos_token_id=256, eos_token_id=259, pad_token_id=0, tie_word_embeddings=False,
                  max_position_embeddings=256, initializer_range=0.1)
    shape = dict(hidden_size=64, intermediate_size=128, num_hidden_layers=2, num_attention_heads=4)
    return {
        "gemma2": Gemma2Config(**tokens, **shape, num_key_value_heads=2, head_dim=16, query_pre_attn_scalar=16,
                               sliding_window=16, final_logit_softcapping=30.0, attn_logit_softcapping=50.0),
        "gemma3": Gemma3TextConfig(**tokens, **shape, num_key_value_heads=2, head_dim=16, query_pre_attn_scalar=16,
                                   sliding_window=16, rope_scaling=None),
        "phi3": Phi3Config(**tokens, **shape, num_key_value_heads=2, original_max_position_embeddings=256),
        "qwen2-moe": Qwen2MoeConfig(**tokens, **shape, num_key_value_heads=2, moe_intermediate_size=32,
                                    shared_expert_intermediate_size=64, num_experts=4, num_experts_per_tok=2),
        "gpt-neox": GPTNeoXConfig(**tokens, **shape, rotary_pct=0.5, use_parallel_residual=True),
        "olmo": OlmoConfig(**tokens, **shape, num_key_value_heads=2),
    }


def printable_only(model):
    """As transformers-reference.py does for the LM head (found through get_output_embeddings: GPT-NeoX calls it
    embed_out): only printable ASCII can be generated, so the greedy text is plain and never ends early."""
    with torch.no_grad():
        keep = torch.zeros(base.VOCAB, dtype=torch.bool)
        keep[32:127] = True
        model.get_output_embeddings().weight[~keep] = 0


def greedy(model, prompt_ids):
    ids = torch.tensor([prompt_ids])
    with torch.inference_mode():
        out = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=GREEDY_STEPS, do_sample=False)
    return out[0, len(prompt_ids):].tolist()


def make_checkpoint(name, config, out):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(1234)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32).eval()
    base.randomise_norms_and_biases(model)
    printable_only(model)
    model.save_pretrained(folder, safe_serialization=True)
    base.write_tokenizer(folder)
    # The reference comes from the saved checkpoint, loaded as the backend's server loads it (float32 on the CPU,
    # transformers' default attention), so both run the same code on the same weights.
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder)
    chat_ids = tokenizer.apply_chat_template(MESSAGES, add_generation_prompt=True, tokenize=True)
    prompt_ids = tokenizer(PROMPT)["input_ids"]
    reference = {"architecture": config.architectures[0] if config.architectures else type(model).__name__,
                 "messages": MESSAGES, "chat_prompt_ids": chat_ids, "chat_greedy": greedy(model, chat_ids),
                 "prompt": PROMPT, "prompt_ids": prompt_ids, "prompt_greedy": greedy(model, prompt_ids),
                 "transformers": __import__("transformers").__version__, "torch": torch.__version__}
    for key in ("chat_greedy", "prompt_greedy"):
        tokens = reference[key]
        assert len(tokens) == GREEDY_STEPS and all(32 <= t < 127 for t in tokens), f"{name}: {key} {tokens}"
        reference[key.replace("greedy", "text")] = tokenizer.decode(tokens)
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(reference, f, indent=1)
    print(f"{name}: {reference['architecture']} in {folder}, chat greedy {reference['chat_text']!r}")


def main(argv):
    if len(argv) >= 2 and argv[0] == "checkpoints":
        torch.set_num_threads(1)
        for name, config in tiny_configs().items():
            make_checkpoint(name, config, argv[1])
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
