#!/usr/bin/env bash
# Benchmarks Jinference's llama.cpp server backend against the same llama-server process called directly: one
# `jinf serve` launches the model (llama-server as its managed child), then scripts/bench-proxy.py sends the same load
# to llama-server's own port and to Jinference's, alternating rounds. For SmolLM2-135M Q4_1 and a 1.4B-parameter
# Llama (random weights, scripts/make-bench-gguf.py): decode (single stream and 8 streams, streaming, tok/s and time
# to first token) and prefill (a long prompt with the prompt cache off, one output token).
#   scripts/bench-llama-server.sh            # needs $JINFERENCE_LLAMA_SERVER or `jinf runtimes install llama.cpp`
# Environment: ROUNDS (3), REQUESTS (12), THREADS (2), DECODE_TOKENS (64), PROMPT_WORDS (400), LAUNCH_ENGINE
# (llama.cpp, pinned to the server backend; set it empty to name no engine and let the selection choose, as on a GPU host).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
[ -x "$jinf" ] || ./mvnw -B -q package -DskipTests >&2
rounds=${ROUNDS:-3} requests=${REQUESTS:-12} threads=${THREADS:-2}
decode_tokens=${DECODE_TOKENS:-64} prompt_words=${PROMPT_WORDS:-400} warmup=${WARMUP:-200}
# The runtime CI builds (`jinf runtimes install llama.cpp --dir $cache/llama.cpp`), unless another one is named.
export JINFERENCE_LLAMA_SERVER=${JINFERENCE_LLAMA_SERVER:-$cache/llama.cpp/b11434/build-cpu/bin/llama-server}

smollm2=$(scripts/fetch-smollm2.sh)
big=$cache/models/bench-llama-1.4b-random.Q4_1.gguf
if [ ! -s "$big" ]; then
  python=$(scripts/python-env.sh gguf-tools gguf==0.19.0 numpy==2.4.6 | tail -n 1)
  "$python" scripts/make-bench-gguf.py "$smollm2" "$big.part" && mv "$big.part" "$big"
fi

home=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$jinf" serve --home "$home" --port "$port" > "$home/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$home"' EXIT
base=http://127.0.0.1:$port
until curl -sf "$base/status" > /dev/null; do sleep 0.5; done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); threads $threads, 8 slots"
for model in "$smollm2" "$big"; do
  uid=bench-$(basename "$model" .gguf | tr 'A-Z._' 'a-z--')
  engine=${LAUNCH_ENGINE-llama.cpp}
  pinned=${engine:+\"model_engine\": \"$engine\", \"model_backend\": \"server\",}
  curl -sf "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"smollm2-instruct\",
    \"model_format\": \"ggufv2\", $pinned
    \"model_uid\": \"$uid\", \"model_path\": \"$model\", \"n_parallel\": 8, \"n_threads\": $threads,
    \"n_ctx\": 1024}" > /dev/null
  direct=$(curl -sf "$base/v1/models/$uid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine_details"]["server_url"])')
  echo
  echo "## $(basename "$model") (llama-server at $direct, through Jinference at $base)"
  curl -sf "$base/v1/models/$uid" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("placed on GPU(s)",
    d["accelerators"], "by", d["engine_details"].get("runtime"), "; why:", d["why"])'
  # The first model's warm-up lets the fresh Jinference JVM compile its request path; later ones need none.
  python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1,8 \
    --max-tokens "$decode_tokens" --rounds "$rounds" --requests "$requests" --warmup "$warmup"
  warmup=1
  python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1 \
    --max-tokens 1 --prompt-words "$prompt_words" --rounds "$rounds" --requests 4 --warmup 1
  curl -sf -X DELETE "$base/v1/models/$uid" > /dev/null
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
