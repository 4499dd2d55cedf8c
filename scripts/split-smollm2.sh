#!/usr/bin/env bash
# Makes SmolLM2-135M-Instruct Q4_1 as a split GGUF (three parts, llama.cpp's split format, written by gguf-py's own
# writer in the transformers-ref venv that scripts/transformers-reference.sh makes) under the Jinference cache, outside
# git, for the split-GGUF download test. Prints the folder; reuses it when it is there.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
out=$cache/smollm2-split
if [ -s "$out/SmolLM2-135M-Instruct.Q4_1-00003-of-00003.gguf" ]; then
  echo "$out"; exit 0
fi
gguf=$("$here/fetch-smollm2.sh")
python=$("$here/python-env.sh" transformers-ref torch==2.7.1 transformers==4.57.1 numpy==2.2.6 gguf==0.17.1 | tail -n 1)
rm -rf "$out.part"
"$python" "$here/split-gguf.py" "$gguf" "$out.part" 100 >&2
rm -rf "$out"
mv "$out.part" "$out"
echo "$out"
