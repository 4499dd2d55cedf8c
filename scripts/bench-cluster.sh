#!/usr/bin/env bash
# Benchmarks a model reached through another cluster node against the node that holds it: two `jinf serve` nodes
# form a cluster on loopback, SmolLM2-135M Q4_1 is launched (llama-server backend), and scripts/bench-proxy.py sends
# the same streamed chat load to the holder (its "direct" column) and to the other node, which proxies every request
# to the holder over HTTP (its "through Jinference" column), alternating rounds: single stream and 8 streams.
#   scripts/bench-cluster.sh            # needs $JINFERENCE_LLAMA_SERVER or `jinf runtimes install llama.cpp`
# Environment: ROUNDS (3), REQUESTS (12), THREADS (1), DECODE_TOKENS (64).
source "$(dirname "$0")/bench-prelude.sh"
rounds=${ROUNDS:-3} requests=${REQUESTS:-12} threads=${THREADS:-1} decode_tokens=${DECODE_TOKENS:-64}
smollm2=$(scripts/fetch-smollm2.sh)

work=$(mktemp -d)
"$jinf" cluster init --dir "$work/cluster" > /dev/null
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT
http_ports=() cluster_ports=()
for node in 0 1; do
  http_ports+=("$(free_port)") cluster_ports+=("$(free_port)")
  seed=()
  [ "$node" -eq 1 ] && seed=(--cluster-seed "127.0.0.1:${cluster_ports[0]}")
  "$jinf" serve --home "$work/node$node" --port "${http_ports[$node]}" --cluster-port "${cluster_ports[$node]}" \
    --cluster-host 127.0.0.1 --cluster-dir "$work/cluster" "${seed[@]}" > "$work/node$node.log" 2>&1 &
  pids+=($!)
done
for port in "${http_ports[@]}"; do
  until curl -sf "http://127.0.0.1:$port/v1/cluster/status" | grep -q '"joined" *: *true'; do sleep 0.5; done
done

base=http://127.0.0.1:${http_ports[0]}
uid=bench-cluster
curl -sf "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"smollm2-instruct\",
  \"model_format\": \"ggufv2\", \"model_engine\": \"llama.cpp\", \"model_backend\": \"server\",
  \"model_uid\": \"$uid\", \"model_path\": \"$smollm2\", \"n_parallel\": 8, \"n_threads\": $threads,
  \"n_ctx\": 1024}" > /dev/null
holder=$(curl -sf "$base/v1/models/$uid" | python3 -c 'import json,sys; print(json.load(sys.stdin)["placement"]["address"])')
other=http://127.0.0.1:${http_ports[0]}
[ "$holder" = "$other" ] && other=http://127.0.0.1:${http_ports[1]}
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $threads thread(s), 8 slots"
echo "## SmolLM2-135M Q4_1: the holder node $holder (direct column) against the other node $other"
python3 scripts/bench-proxy.py "$holder" "$uid" "$other" "$uid" --stream --concurrency 1,8 \
  --max-tokens "$decode_tokens" --rounds "$rounds" --requests "$requests" --warmup 200
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
