#!/usr/bin/env bash
# Prefill and decode tokens/s: Jinference's Transformers engine next to HF transformers (PyTorch eager), on one
# random-weight checkpoint with SmolLM2-135M's configuration, same threads (BENCH_THREADS, default 2), same dtype,
# prompt BENCH_PROMPT (128) tokens, BENCH_DECODE (64) greedy tokens, best of 3. Prints one JSON line per engine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
folder=$cache/transformers-bench/smollm2-135m-random
threads=${BENCH_THREADS:-2}
export BENCH_THREADS=$threads
"$root/scripts/transformers-reference.sh" bench "$folder"
cd "$root"
./mvnw -q -o test-compile dependency:build-classpath -pl engine-transformers/adapter -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
adapter=engine-transformers/adapter
java -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.offline=true \
  -DOPT_OUT_TRACKING=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$adapter/target/test-classes:$adapter/target/classes:$(cat $adapter/target/bench.classpath)" \
  io.jinference.engine.transformers.TransformersBenchmark "$folder"
