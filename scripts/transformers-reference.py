"""Reference data for the Transformers engine, made by Hugging Face transformers itself (PyTorch eager, CPU).

  checkpoints OUT  tiny random checkpoints of LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM and
                   Qwen3ForCausalLM under OUT/<arch>/, each with reference.json: the prompt's float32 logits, the
                   32-token greedy continuation and the logits of every greedy step. OUT/llama-cross/ also holds
                   the same weights as an F32 GGUF for the cross-engine check with llama.cpp.
  bench DIR        writes a random-weight checkpoint with SmolLM2-135M's configuration to DIR (once) and prints
                   prefill and decode tokens/s of transformers on it.
"""
import json
import os
import sys
import time

import torch
from transformers import (AutoModelForCausalLM, LlamaConfig, MistralConfig, Qwen2Config, Qwen3Config)

SPECIALS = ["<s>", "</s>", "<|im_start|>", "<|im_end|>"]
VOCAB = 256 + len(SPECIALS)
CHATML = ("{% for message in messages %}<|im_start|>{{ message['role'] }}\n{{ message['content'] }}<|im_end|>\n"
          "{% endfor %}{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}")
PROMPT = [256, 72, 101, 108, 108, 111, 32, 119, 111, 114, 108, 100, 33, 32, 84, 104, 101, 32, 115, 107, 121]
GREEDY_STEPS = 32


def bytes_to_unicode():
    """GPT-2's reversible byte → printable character table used by byte-level BPE."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, (chr(c) for c in cs)))


def write_tokenizer(folder):
    """A byte-level BPE without merges: token id = byte value, then four special tokens."""
    table = bytes_to_unicode()
    vocab = {table[b]: b for b in range(256)}
    added = []
    for i, token in enumerate(SPECIALS):
        vocab[token] = 256 + i
        added.append({"id": 256 + i, "content": token, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True})
    byte_level = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tokenizer = {"version": "1.0", "truncation": None, "padding": None, "added_tokens": added, "normalizer": None,
                 "pre_tokenizer": byte_level, "post_processor": None, "decoder": byte_level,
                 "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": None,
                           "end_of_word_suffix": None, "fuse_unk": False, "byte_fallback": False,
                           "ignore_merges": False, "vocab": vocab, "merges": []}}
    with open(os.path.join(folder, "tokenizer.json"), "w") as f:
        json.dump(tokenizer, f)
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<s>", "eos_token": "<|im_end|>", "chat_template": CHATML,
                   "tokenizer_class": "PreTrainedTokenizerFast"}, f)


def tiny_configs():
    common = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=256, rms_norm_eps=1e-5,
                  bos_token_id=256, eos_token_id=259, initializer_range=0.1)
    return {
        "llama": LlamaConfig(**common, rope_theta=500000.0, tie_word_embeddings=False, attention_bias=False,
                             rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                           "high_freq_factor": 4.0, "original_max_position_embeddings": 64}),
        "mistral": MistralConfig(**common, rope_theta=10000.0, sliding_window=16, tie_word_embeddings=False),
        "qwen2": Qwen2Config(**common, rope_theta=1000000.0, tie_word_embeddings=True),
        "qwen3": Qwen3Config(**common, head_dim=32, rope_theta=1000000.0, tie_word_embeddings=True),
    }


def randomise_norms_and_biases(model):
    """Default init sets norms to 1 and biases to 0, which would hide mistakes in how they are applied."""
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name.endswith("norm.weight"):
                param.copy_(1 + 0.2 * torch.randn_like(param))
            elif name.endswith(".bias"):
                param.copy_(0.1 * torch.randn_like(param))


def printable_only(model):
    """Zero the LM-head rows of every token but printable ASCII, so that the greedy continuation is plain text that
    every engine returns byte for byte (random weights would otherwise pick stray bytes and special tokens)."""
    with torch.no_grad():
        keep = torch.zeros(VOCAB, dtype=torch.bool)
        keep[32:127] = True
        model.lm_head.weight[~keep] = 0


def make_checkpoint(name, config, out, stored_dtype=torch.float32, prepare=None):
    folder = os.path.join(out, name)
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(1234)
    model = AutoModelForCausalLM.from_config(config, dtype=torch.float32, attn_implementation="eager").eval()
    randomise_norms_and_biases(model)
    if prepare:
        prepare(model)
    # Llama is saved in several shards so that model.safetensors.index.json is exercised. A bfloat16 copy is
    # compared with transformers running those same (widened) weights in float32.
    if stored_dtype != torch.float32:
        # Round the parameters only (model.to would also round the rotary inv_freq buffer, which a loader
        # recomputes in float32), then save the rounded values in the stored dtype.
        with torch.no_grad():
            for param in model.parameters():
                param.copy_(param.to(stored_dtype).to(torch.float32))
        state = {k: v.to(stored_dtype) for k, v in model.state_dict().items() if not k.endswith("inv_freq")}
        model.save_pretrained(folder, state_dict=state, safe_serialization=True)
        config.dtype = "bfloat16"
        config.save_pretrained(folder)
    else:
        model.save_pretrained(folder, safe_serialization=True, max_shard_size="100KB" if name == "llama" else "1GB")
    write_tokenizer(folder)
    ids = torch.tensor([PROMPT])
    with torch.no_grad():
        prompt_logits = model(ids).logits[0]
        model.generation_config.eos_token_id = None
        out_gen = model.generate(ids, max_new_tokens=GREEDY_STEPS, do_sample=False, pad_token_id=0,
                                 output_logits=True, return_dict_in_generate=True)
    reference = {"architecture": config.architectures[0] if config.architectures else type(model).__name__,
                 "prompt": PROMPT,
                 "prompt_logits": prompt_logits.tolist(),
                 "greedy": out_gen.sequences[0, len(PROMPT):].tolist(),
                 "step_logits": [step[0].tolist() for step in out_gen.logits],
                 "transformers": __import__("transformers").__version__, "torch": torch.__version__}
    with open(os.path.join(folder, "reference.json"), "w") as f:
        json.dump(reference, f)
    print(f"{name}: {reference['architecture']} in {folder}, greedy {reference['greedy'][:8]}...")
    return model, folder


def gguf_permute(weights, heads):
    """HF stores q/k rows as two rotary halves per head; GGUF (like convert_hf_to_gguf.py) interleaves them."""
    return weights.reshape(heads, 2, weights.shape[0] // heads // 2, *weights.shape[1:]).swapaxes(1, 2).reshape(
        weights.shape)


def write_gguf(model, config, path):
    """The same weights as an F32 GGUF with the same byte-level vocabulary, for llama.cpp."""
    import gguf
    table = bytes_to_unicode()
    writer = gguf.GGUFWriter(path, "llama")
    writer.add_name("tiny-llama-cross")
    writer.add_file_type(gguf.LlamaFileType.ALL_F32)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(config.num_attention_heads)
    writer.add_head_count_kv(config.num_key_value_heads)
    writer.add_rope_dimension_count(config.hidden_size // config.num_attention_heads)
    writer.add_rope_freq_base(config.rope_theta)
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(VOCAB)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list([table[b] for b in range(256)] + SPECIALS)
    writer.add_token_types([gguf.TokenType.NORMAL] * 256 + [gguf.TokenType.CONTROL] * len(SPECIALS))
    # llama.cpp requires a merges array and gguf cannot write an empty one: this merge joins bytes 0x00 and 0x01,
    # which no text here contains, so both tokenizers still map every byte to its own token.
    writer.add_token_merges([table[0] + " " + table[1]])
    writer.add_bos_token_id(config.bos_token_id)
    writer.add_eos_token_id(config.eos_token_id)
    writer.add_add_bos_token(False)
    writer.add_chat_template(CHATML)
    names = {"model.embed_tokens.weight": "token_embd.weight", "model.norm.weight": "output_norm.weight",
             "lm_head.weight": "output.weight"}
    layer = {"input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
             "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output", "post_attention_layernorm": "ffn_norm",
             "mlp.gate_proj": "ffn_gate", "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down"}
    for name, tensor in model.state_dict().items():
        data = tensor.to(torch.float32).numpy()
        if name in names:
            writer.add_tensor(names[name], data)
            continue
        _, _, index, *rest = name.split(".")
        part = ".".join(rest[:-1])
        if part == "self_attn.q_proj":
            data = gguf_permute(data, config.num_attention_heads)
        elif part == "self_attn.k_proj":
            data = gguf_permute(data, config.num_key_value_heads)
        writer.add_tensor(f"blk.{index}.{layer[part]}.weight", data)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    print(f"GGUF of the same weights: {path}")


def make_cross_engine_checkpoint(out):
    """A tiny Llama (plain rope, separate LM head) saved both for transformers and as an F32 GGUF for llama.cpp."""
    config = tiny_configs()["llama"]
    config.rope_scaling = None
    model, folder = make_checkpoint("llama-cross", config, out, prepare=printable_only)
    write_gguf(model, config, os.path.join(folder, "llama-cross-f32.gguf"))


def smollm2_config():
    """SmolLM2-135M-Instruct's config.json values (HuggingFaceTB/SmolLM2-135M-Instruct)."""
    return LlamaConfig(vocab_size=49152, hidden_size=576, intermediate_size=1536, num_hidden_layers=30,
                       num_attention_heads=9, num_key_value_heads=3, max_position_embeddings=8192,
                       rms_norm_eps=1e-5, rope_theta=100000.0, tie_word_embeddings=True, bos_token_id=1,
                       eos_token_id=2, initializer_range=0.02)


def bench(folder, prompt_tokens, decode_tokens, threads, dtype_name):
    torch.set_num_threads(threads)
    dtype = {"float32": torch.float32, "bfloat16": torch.bfloat16}[dtype_name]
    if not os.path.exists(os.path.join(folder, "config.json")):
        os.makedirs(folder, exist_ok=True)
        torch.manual_seed(7)
        model = AutoModelForCausalLM.from_config(smollm2_config(), dtype=torch.float32)
        model.save_pretrained(folder, safe_serialization=True)
        write_tokenizer(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype, attn_implementation="eager").eval()
    generator = torch.Generator().manual_seed(3)
    ids = torch.randint(0, 49152, (1, prompt_tokens), generator=generator)
    results = []
    with torch.inference_mode():
        for _ in range(3):
            start = time.perf_counter()
            out = model(ids, use_cache=True)
            prefill = time.perf_counter() - start
            past = out.past_key_values
            token = out.logits[:, -1:].argmax(-1)
            start = time.perf_counter()
            for _ in range(decode_tokens):
                out = model(token, past_key_values=past, use_cache=True)
                past = out.past_key_values
                token = out.logits[:, -1:].argmax(-1)
            decode = time.perf_counter() - start
            results.append((prompt_tokens / prefill, decode_tokens / decode))
    best_prefill = max(r[0] for r in results)
    best_decode = max(r[1] for r in results)
    print(json.dumps({"engine": "transformers (PyTorch eager)", "transformers": __import__("transformers").__version__,
                      "torch": torch.__version__, "threads": threads, "dtype": dtype_name,
                      "prompt_tokens": prompt_tokens, "decode_tokens": decode_tokens,
                      "prefill_tokens_per_s": round(best_prefill, 1), "decode_tokens_per_s": round(best_decode, 2)}))


def main(argv):
    if len(argv) >= 2 and argv[0] == "checkpoints":
        torch.set_num_threads(1)
        for name, config in tiny_configs().items():
            make_checkpoint(name, config, argv[1])
        make_checkpoint("llama-bf16", tiny_configs()["llama"], argv[1], torch.bfloat16)
        make_cross_engine_checkpoint(argv[1])
    elif len(argv) >= 2 and argv[0] == "bench":
        prompt = int(os.environ.get("BENCH_PROMPT", "128"))
        decode = int(os.environ.get("BENCH_DECODE", "64"))
        bench(argv[1], prompt, decode, int(os.environ.get("BENCH_THREADS", "2")), os.environ.get("BENCH_DTYPE", "float32"))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
