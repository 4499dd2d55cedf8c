#!/usr/bin/env bash
# Benchmarks Jinference's llama.cpp engine against llama.cpp's own server (the xllamacpp PyPI package) on SmolLM2:
# prefill and decode tokens/s, single stream and concurrent streams, through the same OpenAI streaming API.
# Builds the benchmark (bench/, Maven profile "bench"), prepares a Python venv with xllamacpp and the model, builds the
# launcher if it is missing, then runs both servers in one go and prints a Markdown table (see docs/benchmarks.md).
# Extra arguments go to the benchmark, e.g. --runs 5 --threads 2 --ctx 4096 --parallel 8 --decode-tokens 128.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
if [ ! -x "$jinf" ]; then
  echo "bench: building Jinference (no $jinf yet)" >&2
  ./mvnw -B -q package -DskipTests >&2
fi
./mvnw -B -q -Pbench -pl bench package >&2

model=${JINFERENCE_SMOLLM2:-$(scripts/fetch-smollm2.sh)}
python=$(scripts/python-env.sh bench xllamacpp==2026.10.11549 | tail -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

java -cp "$(ls bench/target/jinference-bench-*.jar):bench/target/lib/*" io.jinference.bench.LlamaCppBench \
  --model "$model" --jinf "$jinf" --python "$python" --native-server bench/xllamacpp_server.py --work "$work" "$@"
