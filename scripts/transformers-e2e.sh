#!/usr/bin/env bash
# One line for .ci/run: prepares the transformers venv and reference checkpoints, then runs the Transformers engine's
# tests with the references required (a missing reference fails instead of skipping), then the launcher's tests that
# serve them over REST and compare the Transformers and llama.cpp engines on the same weights.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/transformers-reference.sh"
cd "$root"
./mvnw -q -B install -pl framework -DskipTests
./mvnw -B verify -pl engine-transformers/runtime,engine-transformers/adapter,engine-transformers/itest -Dtransformers.references.required=true
./mvnw -B package -pl launcher -am -Dtest='TransformersServingTest,CrossEngineTest' -Dsurefire.failIfNoSpecifiedTests=false
