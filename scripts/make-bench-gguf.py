"""Writes a Llama-architecture GGUF of about 1.44 billion parameters with random weights, for speed measurements.

The tokenizer, chat template and special tokens are copied from SmolLM2-135M-Instruct's GGUF, so prompts tokenise
as for a real model; the weights are random (normal, std 0.02), so the text is noise but the work per token is that
of a real 1.4B Llama: hidden 2048, 22 layers, 32 heads with 8 KV heads, feed-forward 8192, Q4_1 like SmolLM2.

Usage: python make-bench-gguf.py SMOLLM2.gguf OUT.gguf
"""
import sys

import numpy as np
from gguf import GGMLQuantizationType, GGUFReader, GGUFWriter, quants
from gguf.constants import GGUFValueType

HIDDEN, LAYERS, HEADS, KV_HEADS, FFN, CONTEXT = 2048, 22, 32, 8, 8192, 8192
HEAD_DIM = HIDDEN // HEADS
COPIED_PREFIXES = ("tokenizer.",)


def copy_tokenizer(reader: GGUFReader, writer: GGUFWriter) -> int:
    vocab = 0
    for field in reader.fields.values():
        if not field.name.startswith(COPIED_PREFIXES):
            continue
        kind = field.types[0]
        if kind == GGUFValueType.ARRAY:
            item_type = field.types[1]
            values = [field.contents(i) for i in range(len(field.data))]
            if field.name == "tokenizer.ggml.tokens":
                vocab = len(values)
            writer.add_key_value(field.name, values, GGUFValueType.ARRAY, sub_type=item_type)
        elif kind == GGUFValueType.STRING:
            writer.add_string(field.name, field.contents())
        else:
            writer.add_key_value(field.name, field.contents(), kind)
    return vocab


def random_tensor(rng: np.random.Generator, rows: int, cols: int, kind: GGMLQuantizationType):
    data = rng.standard_normal((rows, cols), dtype=np.float32) * 0.02
    return quants.quantize(data, kind)


def main(source: str, target: str) -> None:
    reader = GGUFReader(source)
    writer = GGUFWriter(target, "llama")
    writer.add_name("bench-llama-1.4b-random")
    vocab = copy_tokenizer(reader, writer)
    writer.add_context_length(CONTEXT)
    writer.add_embedding_length(HIDDEN)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_rope_dimension_count(HEAD_DIM)
    writer.add_rope_freq_base(100000.0)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(vocab)
    writer.add_file_type(3)  # MOSTLY_Q4_1

    rng = np.random.default_rng(7)
    q4 = GGMLQuantizationType.Q4_1

    def add(name, rows, cols, kind=q4):
        writer.add_tensor(name, random_tensor(rng, rows, cols, kind), raw_dtype=kind)

    add("token_embd.weight", vocab, HIDDEN)
    for layer in range(LAYERS):
        block = f"blk.{layer}."
        writer.add_tensor(block + "attn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        add(block + "attn_q.weight", HIDDEN, HIDDEN)
        add(block + "attn_k.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        add(block + "attn_v.weight", KV_HEADS * HEAD_DIM, HIDDEN)
        add(block + "attn_output.weight", HIDDEN, HIDDEN)
        writer.add_tensor(block + "ffn_norm.weight", np.ones(HIDDEN, dtype=np.float32))
        add(block + "ffn_gate.weight", FFN, HIDDEN)
        add(block + "ffn_up.weight", FFN, HIDDEN)
        add(block + "ffn_down.weight", HIDDEN, FFN)
    writer.add_tensor("output_norm.weight", np.ones(HIDDEN, dtype=np.float32))

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file(progress=False)
    writer.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
