#!/usr/bin/env bash
# Runs the real-client tests (clients/, pytest) against a real `jinf serve` on loopback with SmolLM2.
# Starts the server on a free port with a throw-away home, waits for /status, runs pytest, always stops the server,
# and exits with pytest's status. Needs the launcher built (./mvnw -B verify); pytest arguments pass through.
# Environment: JINF (the jinf script; default launcher/target/jinference/bin/jinf), JINFERENCE_SMOLLM2 (GGUF path;
# fetched when unset), JINFERENCE_SERVE_TIMEOUT (seconds to wait for the server, default 180),
# JINFERENCE_PYTEST_TIMEOUT (seconds for the whole pytest run, default 900: xinference-client sets no HTTP timeouts,
# so a hung request would otherwise hang CI).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
if [ ! -x "$jinf" ]; then
  echo "run-client-tests: $jinf is missing; build the launcher first (./mvnw -B verify)" >&2
  exit 2
fi

JINFERENCE_SMOLLM2=${JINFERENCE_SMOLLM2:-$("$root/scripts/fetch-smollm2.sh")}
export JINFERENCE_SMOLLM2
mapfile -t requirements < <(grep -Ev '^\s*(#|$)' "$root/clients/requirements.txt")
python=$("$root/scripts/python-env.sh" clients "${requirements[@]}" | tail -n 1)

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$work/serve.log
# The server runs with API keys, as its users run it: an admin key for the tests, and a user key limited to one model.
keys=$work/api-keys.json
JINFERENCE_API_KEY=$("$jinf" keys create --role admin --file "$keys" 2>/dev/null)
JINFERENCE_USER_MODEL=smollm2-keyed-user
JINFERENCE_USER_KEY=$("$jinf" keys create --role user --models "$JINFERENCE_USER_MODEL" --file "$keys" 2>/dev/null)
export JINFERENCE_API_KEY JINFERENCE_USER_KEY JINFERENCE_USER_MODEL
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
    echo "run-client-tests: last lines of the server log ($log):" >&2
    tail -n 40 "$log" >&2 || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT

url=http://127.0.0.1:$port
deadline=$((SECONDS + ${JINFERENCE_SERVE_TIMEOUT:-180}))
until curl -fs -o /dev/null "$url/status"; do
  if ! kill -0 "$server" 2>/dev/null; then
    echo "run-client-tests: jinf serve exited before answering $url/status" >&2
    exit 1
  fi
  if [ "$SECONDS" -ge "$deadline" ]; then
    echo "run-client-tests: $url/status did not answer in time" >&2
    exit 1
  fi
  sleep 1
done
echo "run-client-tests: jinf serve answers at $url"

export JINFERENCE_URL=$url
set +e
(cd "$root/clients" && timeout "${JINFERENCE_PYTEST_TIMEOUT:-900}" "$python" -m pytest -p no:cacheprovider -ra "$@" .)
status=$?
set -e
exit "$status"
