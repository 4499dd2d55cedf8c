#!/usr/bin/env bash
# Prefill and decode tokens/s: Jinference's Transformers engine next to HF transformers (PyTorch eager), on one
# checkpoint folder (the first argument; by default a random-weight checkpoint with SmolLM2-135M's configuration,
# made on first use), same threads (BENCH_THREADS, default 2), same dtype (BENCH_DTYPE, float32), prompt BENCH_PROMPT
# (128) tokens, BENCH_DECODE (64) greedy tokens, best of 3 within each engine's run. BENCH_ROUNDS (1) alternates the
# two engines that many times. The Jinference run then prints continuous batching's figure: aggregate decode tokens/s
# of 1 stream and of BENCH_STREAMS (4) concurrent streams through the served model. One JSON line per measurement.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
folder=$(realpath -m "${1:-$cache/transformers-bench/smollm2-135m-random}")
threads=${BENCH_THREADS:-2}
export BENCH_THREADS=$threads
cd "$root"
./mvnw -q -o test-compile dependency:build-classpath -pl engine-transformers/adapter -am \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
adapter=engine-transformers/adapter
for round in $(seq "${BENCH_ROUNDS:-1}"); do
  "$root/scripts/transformers-reference.sh" bench "$folder"
  java -Dai.djl.pytorch.num_threads="$threads" -Dai.djl.pytorch.num_interop_threads=1 -Dai.djl.offline=true \
    -DOPT_OUT_TRACKING=true -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp "$adapter/target/test-classes:$adapter/target/classes:$(cat $adapter/target/bench.classpath)" \
    io.jinference.engine.transformers.TransformersBenchmark "$folder"
done
