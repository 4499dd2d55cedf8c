# Sourced by the benchmark scripts (bench-llama-server.sh, bench-cluster.sh, bench-managed-engine.sh): works from the
# repository root, with the cache, a built distribution (`jinf`; `JINF` names another, and one is built if missing),
# the llama-server runtime CI builds (`jinf runtimes install llama.cpp --dir $cache/llama.cpp`) unless
# JINFERENCE_LLAMA_SERVER names another, and free_port.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
jinf=${JINF:-$root/launcher/target/jinference/bin/jinf}
[ -x "$jinf" ] || ./mvnw -B -q package -DskipTests >&2
export JINFERENCE_LLAMA_SERVER=${JINFERENCE_LLAMA_SERVER:-$cache/llama.cpp/b11434/build-cpu/bin/llama-server}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
