#!/usr/bin/env bash
# Renders every chat template of the built-in catalog (and of Xinference's catalog, a test resource) with Hugging Face transformers' own renderer, for the fixed
# conversations of chat-template-reference.py, into $CACHE/chat-template-reference/reference.json (outside git). The
# framework's CatalogChatTemplatesMatchTransformersTest requires Jinference's renderer to produce the same bytes.
# Uses the venv of transformers-reference.sh; made again when the script or the catalog changes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
catalog=$here/../framework/src/main/resources/io/jinference/catalog/llm-families.json
xinference=$here/../framework/src/test/resources/io/jinference/template/xinference-chat-templates.json
python=$("$here/python-env.sh" transformers-ref torch==2.7.1 transformers==4.57.1 numpy==2.2.6 gguf==0.17.1 | tail -n 1)
export HF_HUB_OFFLINE=1 TRANSFORMERS_NO_ADVISORY_WARNINGS=1 PYTHONWARNINGS=ignore
out=$cache/chat-template-reference
stamp=$out/.made-by
wanted=$(cat "$here/chat-template-reference.py" "$catalog" "$xinference" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ] && [ -f "$out/reference.json" ]; then
  echo "chat template references up to date in $out"; exit 0
fi
mkdir -p "$out"
"$python" "$here/chat-template-reference.py" "$catalog" "$xinference" "$out/reference.json"
echo "$wanted" > "$stamp"
