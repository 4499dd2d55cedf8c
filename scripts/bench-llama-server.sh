#!/usr/bin/env bash
# Benchmarks Jinference's llama.cpp server backend against the same llama-server process called directly: one
# `jinf serve` launches the model (llama-server as its managed child), then scripts/bench-proxy.py sends the same load
# to llama-server's own port and to Jinference's, alternating rounds. For SmolLM2-135M Q4_1 and a 1.4B-parameter
# Llama (random weights, scripts/make-bench-gguf.py): decode (single stream and 8 streams, streaming, tok/s and time
# to first token) and prefill (a long prompt with the prompt cache off, one output token).
#   scripts/bench-llama-server.sh            # needs $JINFERENCE_LLAMA_SERVER or `jinf runtimes install llama.cpp`
# Two more columns in the same alternating rounds: xllamacpp (Xinference's own llama.cpp binding, its built-in HTTP
# server, bench/xllamacpp_server.py, same GGUF, threads, slots and context) and, for contrast, the same GGUF on
# Jinference's in-JVM backend (java-llama.cpp in a model host).
# Environment: ROUNDS (3), REQUESTS (12), THREADS (2), DECODE_TOKENS (64), PROMPT_WORDS (400), LAUNCH_ENGINE
# (llama.cpp, pinned to the server backend; set it empty to name no engine and let the selection choose, as on a GPU host),
# XLLAMACPP (1; 0 leaves the column out), JVM_CONTRAST (1 for SmolLM2 only; 0 leaves it out), MODELS (smollm2 big),
# WARMUP (3000 one-token requests per target before the first model, see bench-proxy.py), BIG_REQUESTS (REQUESTS:
# the 1.4B model's requests per round; it decodes about 7x slower), TTFT_REQUESTS (60 per target in the last row:
# time to first token, two-token streams alternating request by request).
source "$(dirname "$0")/bench-prelude.sh"
rounds=${ROUNDS:-3} requests=${REQUESTS:-12} threads=${THREADS:-2}
declare -A model_requests=([smollm2]=$requests [big]=${BIG_REQUESTS:-$requests})
decode_tokens=${DECODE_TOKENS:-64} prompt_words=${PROMPT_WORDS:-400} warmup=${WARMUP:-3000}
xllamacpp=${XLLAMACPP:-1} jvm_contrast=${JVM_CONTRAST:-1} ttft_requests=${TTFT_REQUESTS:-60}

smollm2=$(scripts/fetch-smollm2.sh)
big=$cache/models/bench-llama-1.4b-random.Q4_1.gguf
if [ ! -s "$big" ]; then
  python=$(scripts/python-env.sh gguf-tools gguf==0.19.0 numpy==2.4.6 | tail -n 1)
  "$python" scripts/make-bench-gguf.py "$smollm2" "$big.part" && mv "$big.part" "$big"
fi

xllamacpp_python=
if [ "$xllamacpp" = 1 ]; then
  xllamacpp_python=$(scripts/python-env.sh bench xllamacpp==2026.10.11549 | tail -n 1)
fi

home=$(mktemp -d)
port=$(free_port)
xllamacpp_pid=
"$jinf" serve --home "$home" --port "$port" > "$home/serve.log" 2>&1 &
serve_pid=$!
trap 'kill $serve_pid $xllamacpp_pid 2>/dev/null; wait $serve_pid 2>/dev/null; rm -rf "$home"' EXIT
base=http://127.0.0.1:$port
until curl -sf "$base/status" > /dev/null; do sleep 0.5; done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); threads $threads, 8 slots"
declare -A model_files=([smollm2]=$smollm2 [big]=$big)
for name in ${MODELS:-smollm2 big}; do
  model=${model_files[$name]}
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
  also=()
  if [ -n "$xllamacpp_python" ]; then
    xport=$(free_port)
    "$xllamacpp_python" bench/xllamacpp_server.py --model "$model" --port "$xport" --threads "$threads" \
      --ctx $((8 * 1024)) --parallel 8 > "$home/xllamacpp.log" 2>&1 &
    xllamacpp_pid=$!
    until grep -q '^listening' "$home/xllamacpp.log"; do kill -0 $xllamacpp_pid; sleep 0.5; done
    also+=(--also xllamacpp "http://127.0.0.1:$xport" "$uid")
  fi
  # The in-JVM backend keeps its prompt cache whatever the request says, so it has no comparable prefill row.
  prefill_also=("${also[@]}")
  if [ "$jvm_contrast" = 1 ] && [ "$name" = smollm2 ]; then
    curl -sf "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"smollm2-instruct\",
      \"model_format\": \"ggufv2\", \"model_engine\": \"llama.cpp\", \"model_backend\": \"jvm\",
      \"model_uid\": \"$uid-jvm\", \"model_path\": \"$model\", \"n_parallel\": 8, \"n_threads\": $threads,
      \"n_ctx\": 1024}" > /dev/null
    also+=(--also in-jvm-backend "$base" "$uid-jvm")
  fi
  # The first model's warm-up lets the fresh Jinference JVM compile its request path; later ones need none.
  python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1,8 \
    --max-tokens "$decode_tokens" --rounds "$rounds" --requests "${model_requests[$name]}" --warmup "$warmup" "${also[@]}"
  warmup=1
  python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1 \
    --max-tokens 1 --prompt-words "$prompt_words" --rounds "$rounds" --requests 4 --warmup 1 "${prefill_also[@]}"
  # Time to first token with many samples: two-token streams alternating request by request.
  python3 scripts/bench-proxy.py "$direct" "$uid" "$base" "$uid" --stream --concurrency 1 --interleave \
    --max-tokens 2 --rounds 1 --requests "$ttft_requests" --warmup 1
  curl -sf -X DELETE "$base/v1/models/$uid" > /dev/null
  curl -sf -X DELETE "$base/v1/models/$uid-jvm" > /dev/null || true
  if [ -n "$xllamacpp_pid" ]; then kill $xllamacpp_pid; wait $xllamacpp_pid 2>/dev/null || true; xllamacpp_pid=; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
