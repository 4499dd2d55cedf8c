#!/usr/bin/env python3
"""Renders every distinct chat template of Jinference's built-in catalog with Hugging Face transformers' own chat
template renderer, for a fixed set of conversations, and writes the prompts as JSON. The framework's
CatalogChatTemplatesMatchTransformersTest renders the same conversations with Jinference's renderer and requires
byte equality.

transformers' apply_chat_template(tokenize=False, add_generation_prompt=True) renders through
transformers.utils.chat_template_utils.render_jinja_template, passing the tokenizer's special tokens as variables;
this script calls that function directly with the family's bos_token/eos_token, so no tokenizer needs downloading.
A template that transformers cannot render for a conversation (it raises, e.g. through raise_exception) is written
with the error's text instead of a prompt.

strftime_now reads the clock; it is pinned to FIXED_NOW (written into the JSON) so that the prompts do not depend on
the day the references were made, and the Java test pins Jinference's renderer to the same instant.

The Xinference catalog's templates (XINFERENCE_TEMPLATES_JSON, name -> template, a framework test resource) are
rendered too, as a wider check of the renderer; they come without their tokenizers, so where one uses
bos_token/eos_token it gets "<s>"/"</s>" (the Java side passes the same).

Usage: chat-template-reference.py CATALOG_JSON XINFERENCE_TEMPLATES_JSON OUTPUT_JSON
"""
import datetime as datetime_module
import json
import sys

import jinja2
import transformers
from transformers.utils import chat_template_utils

FIXED_NOW = datetime_module.datetime(2026, 7, 5, 14, 30, 0)

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Get the current weather in a city, in °C or °F.",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string", "description": "The city, e.g. Zürich"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["city"],
        },
    },
}

# Mistral's v0.3 templates require tool call ids of exactly nine letters or digits.
CALL_ID = "call00001"

CONVERSATIONS = {
    "single_user": {"messages": [{"role": "user", "content": "What is the capital of France?"}]},
    "system_user": {"messages": [
        {"role": "system", "content": "You are a terse assistant. Answer in one word."},
        {"role": "user", "content": "What is the capital of France?"}]},
    "multi_turn": {"messages": [
        {"role": "user", "content": "Hi! Who are you?"},
        {"role": "assistant", "content": " I am Jin, an assistant.\n"},
        {"role": "user", "content": "What is 2 + 2?"}]},
    "system_multi_turn": {"messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Name a colour."},
        {"role": "assistant", "content": "Blue."},
        {"role": "user", "content": "Another one, please."}]},
    "tools": {"tools": [WEATHER_TOOL], "messages": [
        {"role": "user", "content": "What is the weather in Zürich?"}]},
    "system_tools": {"tools": [WEATHER_TOOL], "messages": [
        {"role": "system", "content": "You are a weather bot."},
        {"role": "user", "content": "What is the weather in Zürich?"}]},
    "tool_call_and_result": {"tools": [WEATHER_TOOL], "messages": [
        {"role": "user", "content": "What is the weather in Zürich?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": CALL_ID, "type": "function", "function": {
            "name": "get_weather", "arguments": {"city": "Zürich", "unit": "celsius"}}}]},
        {"role": "tool", "tool_call_id": CALL_ID, "name": "get_weather",
         "content": "{\"temperature\": 22, \"sky\": \"clear\"}"}]},
}

# bos_token/eos_token of the families whose templates use them, from each model's tokenizer_config.json (the
# tokenizer's special_tokens_map, which apply_chat_template passes to the template).
SPECIAL_TOKENS = {
    "llama-2-chat": ("<s>", "</s>"),
    "code-llama-instruct": ("<s>", "</s>"),
    "llama-3-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama-3.1-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama-3.2-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "llama-3.3-instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "deepseek-r1": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-r1-distill-qwen": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "deepseek-r1-distill-llama": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "internlm3-instruct": ("<s>", "</s>"),
    "smollm2-instruct": ("<|im_start|>", "<|im_end|>"),
}


class FixedClock(datetime_module.datetime):
    """The datetime class transformers' strftime_now sees: now() is FIXED_NOW."""

    @classmethod
    def now(cls, tz=None):
        return FIXED_NOW


def special_tokens(template, families):
    """The bos/eos tokens for a template, from its families; required where the template uses them."""
    uses = [name for name in ("bos_token", "eos_token") if name in template]
    if not uses:
        return {}
    known = {SPECIAL_TOKENS[f] for f in families if f in SPECIAL_TOKENS}
    if len(known) != 1:
        sys.exit(f"the template of {families} uses {uses}: give those families one entry in SPECIAL_TOKENS")
    bos, eos = known.pop()
    return {"bos_token": bos, "eos_token": eos}


def render(template, conversation, variables):
    try:
        prompts, _ = chat_template_utils.render_jinja_template(
            conversations=[conversation["messages"]], tools=conversation.get("tools"), chat_template=template,
            add_generation_prompt=True, **variables)
        return {"prompt": prompts[0]}
    except Exception as error:  # what transformers raises is the reference: the renderer must refuse it too
        return {"error": f"{type(error).__name__}: {error}"}


def entry(template, names, variables):
    return {
        "families": names,
        "template": template,
        "variables": variables,
        "renderings": {name: render(template, conversation, variables) for name, conversation in CONVERSATIONS.items()},
    }


def main(catalog_path, xinference_path, output_path):
    chat_template_utils.datetime = FixedClock
    with open(catalog_path, encoding="utf-8") as f:
        families = json.load(f)["families"]
    templates = {}
    for family in families:
        template = family.get("chat_template")
        if template:
            templates.setdefault(template, []).append(family["name"])
    entries = [entry(template, names, special_tokens(template, names)) for template, names in templates.items()]
    with open(xinference_path, encoding="utf-8") as f:
        xinference = json.load(f)
    generic_tokens = {"bos_token": "<s>", "eos_token": "</s>"}
    xinference_entries = [
        entry(template, [name], generic_tokens if "bos_token" in template or "eos_token" in template else {})
        for name, template in sorted(xinference.items())]
    reference = {
        "made_by": f"transformers {transformers.__version__}, jinja2 {jinja2.__version__}",
        "now": FIXED_NOW.isoformat(),
        "conversations": CONVERSATIONS,
        "templates": entries,
        "xinference_templates": xinference_entries,
    }
    with open(output_path, "w", encoding="utf-8") as f:
        json.dump(reference, f, ensure_ascii=False, indent=1)
    failing = sum(1 for e in entries + xinference_entries for r in e["renderings"].values() if "error" in r)
    print(f"{len(entries)} catalog and {len(xinference_entries)} Xinference templates x {len(CONVERSATIONS)} "
          f"conversations rendered by transformers {transformers.__version__} into {output_path} "
          f"({failing} renderings refused by the template)")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
