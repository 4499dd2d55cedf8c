#!/usr/bin/env bash
# Makes the Transformers engine's reference data with Hugging Face transformers itself (outside git):
#   scripts/transformers-reference.sh              → tiny checkpoints + reference.json under $CACHE/transformers-reference
#   scripts/transformers-reference.sh bench DIR    → transformers' prefill/decode tokens/s on a SmolLM2-135M-shaped model
# The venv takes torch from PyPI, whose Linux wheels pull the CUDA libraries (about 3 GB installed; about 5 minutes
# cold here). torch 2.7.1 is the libtorch version DJL 0.36 runs, so both sides use the same kernels.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
python=$("$here/python-env.sh" transformers-ref torch==2.7.1 transformers==4.57.1 numpy==2.2.6 gguf==0.17.1 | tail -n 1)
export HF_HUB_OFFLINE=1 TRANSFORMERS_NO_ADVISORY_WARNINGS=1 PYTHONWARNINGS=ignore
if [ "${1:-}" = bench ]; then
  exec "$python" "$here/transformers-reference.py" bench "${2:-$cache/transformers-bench/smollm2-135m-random}"
fi
out=$cache/transformers-reference
stamp=$out/.made-by
wanted=$(sha256sum "$here/transformers-reference.py" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  echo "reference checkpoints up to date in $out"; exit 0
fi
rm -rf "$out"
mkdir -p "$out"
"$python" "$here/transformers-reference.py" checkpoints "$out"
echo "$wanted" > "$stamp"
