#!/usr/bin/env bash
# Checks Jinference's downloads against huggingface_hub itself (hub-interop/, pytest): the Hugging Face Hub stand-in
# (the hub module's test classes, as a program) serves SmolLM2's GGUF and the tiny transformers checkpoint;
# huggingface_hub (pinned in hub-interop/requirements.txt, in a venv under the Jinference cache) and `jinf download`
# both use it as HF_ENDPOINT and share one HF_HOME per test. Needs the build (./mvnw -B verify) and the test models
# (scripts/prepare-test-models.sh); pytest arguments pass through.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
export JINF=${JINF:-$root/launcher/target/jinference/bin/jinf}
if [ ! -x "$JINF" ] || [ ! -d "$root/hub/target/test-classes" ]; then
  echo "run-hub-interop-tests: build first (./mvnw -B verify): $JINF or hub/target/test-classes is missing" >&2
  exit 2
fi
export JINFERENCE_SMOLLM2=${JINFERENCE_SMOLLM2:-$("$root/scripts/fetch-smollm2.sh")}
export JINFERENCE_TINY_CHECKPOINT=${JINFERENCE_TINY_CHECKPOINT:-$cache/transformers-reference/llama}
if [ ! -f "$JINFERENCE_TINY_CHECKPOINT/config.json" ]; then
  echo "run-hub-interop-tests: no checkpoint at $JINFERENCE_TINY_CHECKPOINT; run scripts/prepare-test-models.sh" >&2
  exit 2
fi
classpath_file=$root/hub/target/stand-in.classpath
# -am and compile: the framework comes from this checkout's build, not from a local Maven repository that a fresh
# machine does not have (the hub module's file is written last, so it is the one left).
(cd "$root" && ./mvnw -B -q -pl hub -am compile dependency:build-classpath -Dmdep.outputFile="$classpath_file" >&2)
export JINFERENCE_STANDIN_CP=$root/hub/target/test-classes:$root/hub/target/classes:$(cat "$classpath_file")
mapfile -t requirements < <(grep -Ev '^\s*(#|$)' "$root/hub-interop/requirements.txt")
python=$("$root/scripts/python-env.sh" hub-interop "${requirements[@]}" | tail -n 1)
cd "$root/hub-interop"
exec timeout "${JINFERENCE_PYTEST_TIMEOUT:-900}" "$python" -m pytest -p no:cacheprovider -ra "$@" .
