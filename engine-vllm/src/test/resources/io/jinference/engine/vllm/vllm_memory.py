"""Loads a checkpoint with vLLM (in process) and prints what vLLM allocated, as one JSON line on stdout.

Usage: python vllm_memory.py MODEL_DIR MAX_MODEL_LEN KV_CACHE_MEMORY_BYTES
weights_bytes: the bytes of every parameter and buffer of the model vLLM built (in the dtype vLLM chose), plus the
linear weights that vLLM's CPU backend moved out of the parameters into packed GEMM kernels (oneDNN, on CPUs with
bfloat16 support it replaces each such weight with an empty parameter; the packed copy is still held);
kv_cache_tokens: how many tokens vLLM's KV cache holds in the given bytes (vLLM also logs it as "KV cache size").
Used by VllmMemoryEstimateTest to check Jinference's safetensors estimate against vLLM's own figures.
"""
import json
import os
import sys

# In process, so that apply_model runs the lambda here without pickling it to an engine-core process.
os.environ["VLLM_ENABLE_V1_MULTIPROCESSING"] = "0"

from vllm import LLM  # noqa: E402
from vllm.model_executor.layers import utils as layer_utils  # noqa: E402

# Linear weights vLLM's CPU backend took out of the parameters, in bytes. Its callers import the dispatcher from the
# module when they run, so replacing the module's attribute is enough to see every call.
packed_bytes = [0]
dispatch = layer_utils.dispatch_cpu_unquantized_gemm


def counting_dispatch(layer, remove_weight):
    before = layer.weight.numel() * layer.weight.element_size()
    dispatch(layer, remove_weight)
    if layer.weight.numel() == 0:
        packed_bytes[0] += before


layer_utils.dispatch_cpu_unquantized_gemm = counting_dispatch


def model_bytes(model):
    tensors = list(model.parameters()) + list(model.buffers())
    return sum(t.numel() * t.element_size() for t in tensors)


def main():
    model_dir, max_model_len, kv_bytes = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    llm = LLM(model=model_dir, max_model_len=max_model_len, max_num_seqs=1, kv_cache_memory_bytes=kv_bytes,
              enforce_eager=True)
    weights = llm.apply_model(model_bytes)[0] + packed_bytes[0]
    cache = llm.llm_engine.vllm_config.cache_config
    print(json.dumps({"weights_bytes": weights, "kv_cache_tokens": cache.kv_cache_size_tokens,
                      "dtype": str(llm.llm_engine.vllm_config.model_config.dtype)}), flush=True)


if __name__ == "__main__":
    main()
