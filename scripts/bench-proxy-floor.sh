#!/usr/bin/env bash
# What a proxy hop costs on this host, whoever makes it: time to the first streamed event of one-token chat streams
# (SmolLM2 Q4_1 on llama-server, one thread, one slot, keep-alive client), to llama-server directly and through
#   - Jinference (its llama.cpp server backend: the same llama-server process, managed by `jinf serve`);
#   - minimal proxies in scripts/ProxyFloor.java: `jetty` (a Jetty 12 core handler, the Jetty under Javalin, with
#     HttpURLConnection upstream as Jinference's pass-through), `sockets` (a thread per connection on plain sockets,
#     HttpURLConnection upstream), `relay` (plain sockets both ways, bytes copied as they come);
#   - nginx as a reverse proxy (proxy_buffering off, upstream keep-alive), when `nginx` is installed
#     (apt-get install nginx-light).
# All targets are measured in one run, alternating request by request (bench-proxy.py --interleave), after WARMUP
# one-token requests to each. The differences between rows tell the HTTP server's, the HTTP client's and Jinference's
# own shares of the time a hop adds.
#   scripts/bench-proxy-floor.sh
# Environment: REQUESTS (400 per target), WARMUP (1500 per target), JAVA_OPTS (for the minimal proxies' JVMs).
source "$(dirname "$0")/bench-prelude.sh"
requests=${REQUESTS:-400} warmup=${WARMUP:-1500}
smollm2=$(scripts/fetch-smollm2.sh)
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null; rm -rf "$work"' EXIT

port=$(free_port)
"$jinf" serve --home "$work/home" --port "$port" > "$work/serve.log" 2>&1 &
pids+=($!)
base=http://127.0.0.1:$port
until curl -sf "$base/status" > /dev/null; do sleep 0.5; done
curl -sf "$base/v1/models" -H 'Content-Type: application/json' -d "{\"model_name\": \"smollm2-instruct\",
  \"model_format\": \"ggufv2\", \"model_engine\": \"llama.cpp\", \"model_backend\": \"server\", \"model_uid\": \"m\",
  \"model_path\": \"$smollm2\", \"n_parallel\": 1, \"n_threads\": 1, \"n_ctx\": 1024}" > /dev/null
direct=$(curl -sf "$base/v1/models/m" | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine_details"]["server_url"])')

targets=()
jetty_jars=$(ls "$(dirname "$jinf")"/../lib/jetty-*.jar "$(dirname "$jinf")"/../lib/slf4j-api-*.jar | tr '\n' ':')
for mode in jetty sockets relay; do
  mode_port=$(free_port)
  java ${JAVA_OPTS:-} -cp "$jetty_jars" scripts/ProxyFloor.java "$mode" "$direct" "$mode_port" > "$work/$mode.log" 2>&1 &
  pids+=($!)
  targets+=(--also "$mode" "http://127.0.0.1:$mode_port" m)
done
if command -v nginx > /dev/null; then
  nginx_port=$(free_port)
  cat > "$work/nginx.conf" <<EOF
worker_processes 1; daemon off; error_log $work/nginx.log; pid $work/nginx.pid;
events { worker_connections 64; }
http { access_log off;
  upstream engine { server ${direct#http://}; keepalive 8; }
  server { listen 127.0.0.1:$nginx_port;
    location / { proxy_pass http://engine; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; } } }
EOF
  nginx -c "$work/nginx.conf" &
  pids+=($!)
  targets+=(--also nginx "http://127.0.0.1:$nginx_port" m)
fi
for target in "${targets[@]}"; do
  case "$target" in
    http://*) address=${target#http://}
      until (exec 3<> "/dev/tcp/${address%:*}/${address#*:}") 2> /dev/null; do sleep 0.3; done ;;
  esac
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); llama-server at $direct, Jinference at $base"
python3 scripts/bench-proxy.py "$direct" m "$base" m "${targets[@]}" --stream --concurrency 1 --max-tokens 1 \
  --rounds 1 --requests "$requests" --warmup "$warmup" --ttft-first-event --interleave --keep-alive
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
