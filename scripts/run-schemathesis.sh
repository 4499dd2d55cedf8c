#!/usr/bin/env bash
# Schemathesis (PyPI) against a live `jinf serve`, driven by the server's own /openapi.json: generated requests on
# every route (valid and invalid ones), with an admin key and SmolLM2 launched so the inference routes reach a real
# model. Fails on any 5xx, any response that breaks the documented schema, status code or content type.
# Prints the number of requests and "N passed, N failed"; exits non-zero on any failure.
# Needs the launcher built (./mvnw -B verify). Environment: JINF (default launcher/target/jinference/bin/jinf),
# JINFERENCE_SMOLLM2 (GGUF path; fetched when unset), SCHEMATHESIS_MAX_EXAMPLES (per operation and phase, default 30: about 1,400 requests, 4 minutes on 2 cores),
# SCHEMATHESIS_SEED (default random; printed so a failure can be replayed), SCHEMATHESIS_REPORT_DIR (keeps the
# NDJSON event report there), JINFERENCE_SERVE_TIMEOUT (default 180).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
if [ ! -x "$jinf" ]; then
  echo "run-schemathesis: $jinf is missing; build the launcher first (./mvnw -B verify)" >&2
  exit 2
fi
gguf=${JINFERENCE_SMOLLM2:-$("$root/scripts/fetch-smollm2.sh")}
python=$("$root/scripts/python-env.sh" schemathesis schemathesis==4.32.5 | tail -n 1)
schemathesis=$(dirname "$python")/schemathesis

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$work/serve.log
keys=$work/api-keys.json
admin_key=$("$jinf" keys create --role admin --file "$keys" 2>/dev/null)
# A session of its own, so that stopping it also stops the JVM that the jinf script starts.
setsid "$jinf" serve --home "$work/home" --port "$port" --api-key-file "$keys" >"$log" 2>&1 < /dev/null &
server=$!

stop_server() {
  local status=$?
  if kill -0 "$server" 2>/dev/null; then
    kill -TERM -- "-$server" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$server" 2>/dev/null || break; sleep 0.5; done
    kill -KILL -- "-$server" 2>/dev/null || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "run-schemathesis: last lines of the server log ($log):" >&2
    tail -n 40 "$log" >&2 || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT

url=http://127.0.0.1:$port
deadline=$((SECONDS + ${JINFERENCE_SERVE_TIMEOUT:-180}))
until curl -fs -o /dev/null "$url/status"; do
  if ! kill -0 "$server" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "run-schemathesis: $url/status did not answer" >&2
    exit 1
  fi
  sleep 1
done
# The UID is the one the document's examples name, so the examples phase reaches a ready model. A small context
# bounds every generation (a generated request may leave max_tokens out), which keeps the run within minutes.
curl -fsS -H "Authorization: Bearer $admin_key" -H 'Content-Type: application/json' "$url/v1/models" \
  -d "{\"model_name\": \"smollm2-instruct\", \"model_uid\": \"smollm2-instruct\", \"model_format\": \"ggufv2\",
       \"quantization\": \"Q4_1\", \"model_path\": \"$gguf\", \"n_ctx\": 128}" >/dev/null
echo "run-schemathesis: jinf serve answers at $url with smollm2-instruct ready"

seed=${SCHEMATHESIS_SEED:-$RANDOM$RANDOM}
report_dir=${SCHEMATHESIS_REPORT_DIR:-$work}
mkdir -p "$report_dir"
report=$report_dir/schemathesis.ndjson
set +e
# Excluded, because they would destroy what the run itself stands on:
# - DELETE /v1/models/{model_uid} and POST /v1/models/{model_uid}/cancel terminate the model the inference routes
#   are tested against (the examples name its UID);
# - DELETE /v1/engine-bundles/{id} with small generated ids uninstalls the core bundles (Felix SCR, llama.cpp).
# Everything else runs, with the admin key: registrations, bundle installs from generated bodies, cache removal.
# Run from the work folder: schemathesis keeps its replay store (.schemathesis/) in the current directory.
(cd "$work" && timeout 600 "$schemathesis" run "$url/openapi.json" \
  --header "Authorization: Bearer $admin_key" \
  --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
  --exclude-name 'DELETE /v1/models/{model_uid}' \
  --exclude-name 'POST /v1/models/{model_uid}/cancel' \
  --exclude-name 'DELETE /v1/engine-bundles/{id}' \
  --max-examples "${SCHEMATHESIS_MAX_EXAMPLES:-30}" --seed "$seed" --workers 1 \
  --request-timeout 60 --continue-on-failure --suppress-health-check all \
  --generation-database none --report ndjson --report-ndjson-path "$report" --no-color)
status=$?
set -e
counted=0
"$python" - "$report" <<'PY' || counted=$?
import json, sys
# A request passed when every check on its response passed.
requests, passed, failed = 0, 0, 0
with open(sys.argv[1]) as events:
    for line in events:
        scenario = json.loads(line).get("ScenarioFinished")
        if not scenario:
            continue
        recorder = scenario["recorder"]
        requests += len(recorder.get("interactions", {}))
        for checks in recorder.get("checks", {}).values():
            if any(check.get("status") == "failure" for check in checks):
                failed += 1
            elif checks:
                passed += 1
print(f"run-schemathesis: {requests} requests sent")
print(f"{passed} passed, {failed} failed")
if requests < 1000:
    print(f"run-schemathesis: only {requests} requests; at least 1000 are required", file=sys.stderr)
    sys.exit(1)
PY
echo "run-schemathesis: seed $seed"
if [ "$status" -ne 0 ]; then
  echo "run-schemathesis: schemathesis exited with $status" >&2
fi
if [ "$status" -eq 0 ] && [ "$counted" -ne 0 ]; then
  status=$counted
fi
exit "$status"
