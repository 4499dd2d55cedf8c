#!/usr/bin/env bash
# Makes the Transformers Python backend's reference checkpoints with Hugging Face transformers itself (outside git):
# tiny random Gemma 2, Gemma 3, Phi-3, Qwen2-MoE, GPT-NeoX and OLMo checkpoints, each with reference.json (greedy
# continuations by transformers' generate), under $CACHE/transformers-python-reference. Uses the same venv as
# transformers-reference.sh, whose Python the backend's tests also run as the backend's runtime.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
python=$("$here/python-env.sh" transformers-ref torch==2.7.1 transformers==4.57.1 numpy==2.2.6 gguf==0.17.1 | tail -n 1)
export HF_HUB_OFFLINE=1 TRANSFORMERS_NO_ADVISORY_WARNINGS=1 PYTHONWARNINGS=ignore
out=$cache/transformers-python-reference
stamp=$out/.made-by
wanted=$(cat "$here/transformers-python-reference.py" "$here/transformers-reference.py" | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "Python backend reference checkpoints up to date in $out"; exit 0
fi
rm -rf "$out"
mkdir -p "$out"
"$python" "$here/transformers-python-reference.py" checkpoints "$out"
echo "$wanted" > "$stamp"
