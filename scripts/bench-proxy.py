"""Load generator: the same OpenAI chat load against an engine server directly and through Jinference.

Usage: python3 bench-proxy.py DIRECT_URL DIRECT_MODEL JINFERENCE_URL JINFERENCE_MODEL
           [--requests 64] [--concurrency 1,8] [--max-tokens 32] [--rounds 3] [--stream] [--seconds N]
           [--prompt-words N] [--warmup N] [--also NAME URL MODEL ...] [--interleave] [--ttft-first-event]
           [--keep-alive]
Rounds alternate direct / through Jinference (and any --also targets, e.g. xllamacpp or the in-JVM backend) so that
all see the same machine load. Prints, per target and
concurrency, the completion-token throughput, the p50/p90 request latency (time to the last byte) and, when
streaming, the p50 time to the first token; then the ratios and the added p50s. --seconds caps each run's length
(a smoke run). --prompt-words N makes the prompt N words longer and turns llama-server's prompt cache off for the
request, so that prefill is measured (prompt tokens/s), best with --max-tokens 1. The direct server is e.g. the llama-server Jinference launched (its URL is server_url in
GET /v1/models/{uid}) and DIRECT_MODEL its --alias, which is the UID. Standard library only.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
from urllib.parse import urlparse


FILLER = ("the quick brown fox jumps over the lazy dog while a river runs past old stone walls and green hills "
          "under a wide sky ").split()


# --ttft-first-event: time to the first event rather than to the first non-empty content (a random-weight checkpoint
# whose tokenizer is smaller than its vocabulary streams empty strings).
FIRST_EVENT = [False]

# --keep-alive: each client thread keeps one connection per target, as openai-python's and other SDKs' connection
# pools do, instead of connecting for every request (then the time to connect is part of every measurement).
KEEP_ALIVE = [False]
connections = threading.local()


def connection_to(parsed):
    if not KEEP_ALIVE[0]:
        return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    pool = connections.__dict__.setdefault("pool", {})
    key = (parsed.hostname, parsed.port)
    if key not in pool:
        pool[key] = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    return pool[key]


def prompt(words):
    return "Tell me a story. " + " ".join(FILLER[i % len(FILLER)] for i in range(words))


def one_request(url, model, max_tokens, stream, prompt_words=0):
    parsed = urlparse(url)
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": prompt(prompt_words)}],
                       "max_tokens": max_tokens, "temperature": 0, "ignore_eos": True, "stream": stream,
                       **({"cache_prompt": False} if prompt_words else {}),
                       **({"stream_options": {"include_usage": True}} if stream else {})})
    connection = connection_to(parsed)
    started = time.perf_counter()
    try:
        connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        if not KEEP_ALIVE[0]:
            raise
        # The server closed the kept connection while it was idle (its keep-alive timeout): connect again, as a
        # connection pool does, and time the request from there.
        connection.close()
        started = time.perf_counter()
        connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
    first_token = None
    if stream:
        chunks = []
        for line in iter(response.readline, b""):
            chunks.append(line)
            if first_token is None and line.startswith(b"data: {") and (FIRST_EVENT[0] or (
                    b'"content":"' in line and b'"content":""' not in line)):
                first_token = time.perf_counter() - started
        data = b"".join(chunks)
    else:
        data = response.read()
    elapsed = time.perf_counter() - started
    if not KEEP_ALIVE[0] or response.will_close:
        # A server that ends the connection after an answer (llama-server after a stream): the next request connects.
        connection.close()
    if response.status != 200:
        raise RuntimeError("HTTP %d: %s" % (response.status, data[:300]))
    usage = {}
    if stream:
        for line in data.decode().splitlines():
            if line.startswith("data: ") and line != "data: [DONE]":
                usage = json.loads(line[6:]).get("usage") or usage
    else:
        usage = json.loads(data)["usage"]
    return elapsed, (usage.get("completion_tokens", 0), usage.get("prompt_tokens", 0)), first_token


def run(url, model, concurrency, args):
    latencies, first_tokens, tokens, lock = [], [], [0, 0], threading.Lock()
    remaining = [args.requests]
    deadline = time.perf_counter() + args.seconds if args.seconds else None

    def worker():
        while True:
            with lock:
                if remaining[0] == 0 or (deadline and time.perf_counter() > deadline):
                    return
                remaining[0] -= 1
            elapsed, (completion, prompt_tokens), first_token = one_request(url, model, args.max_tokens,
                                                                            args.stream, args.prompt_words)
            with lock:
                latencies.append(elapsed)
                tokens[0] += completion
                tokens[1] += prompt_tokens
                if first_token is not None:
                    first_tokens.append(first_token)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return tokens[0] / wall, latencies, first_tokens, tokens[1] / wall


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("direct_url")
    parser.add_argument("direct_model")
    parser.add_argument("jinference_url")
    parser.add_argument("jinference_model")
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--concurrency", default="4",
                        help="one level or several, comma-separated: 1,8 measures a single stream and 8 streams")
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("--seconds", type=float, default=0, help="cap on each run's length; 0 = none")
    parser.add_argument("--prompt-words", type=int, default=0, help="longer prompts, prompt cache off: prefill")
    parser.add_argument("--warmup", type=int, default=3000,
                        help="one-token requests sent to every target first, so that a freshly started JVM has "
                             "compiled its request path as a server that has run for a while has: measured on "
                             "SmolLM2 (llama-server, 1 thread), Jinference added +3.2 to +4.3 ms to the first token "
                             "after about 200 requests, +1.2 to +1.7 ms after 3,000 and +1.2 to +1.3 ms after 6,000")
    parser.add_argument("--also", nargs=3, action="append", default=[], metavar=("NAME", "URL", "MODEL"),
                        help="a further target measured in the same alternating rounds and compared with direct")
    parser.add_argument("--interleave", action="store_true",
                        help="at concurrency 1, alternate the targets request by request instead of in blocks")
    parser.add_argument("--ttft-first-event", action="store_true",
                        help="time to first token = time to the first streamed event, whatever its content")
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client thread keeps its connection to each target, as SDK connection pools do")
    args = parser.parse_args()
    FIRST_EVENT[0] = args.ttft_first_event
    KEEP_ALIVE[0] = args.keep_alive
    args.targets = [("direct", args.direct_url, args.direct_model),
                    ("jinference", args.jinference_url, args.jinference_model)] + [tuple(t) for t in args.also]
    for _ in range(max(1, args.warmup)):
        for _name, url, model in args.targets:
            one_request(url, model, 1, args.stream)
    for concurrency in [int(level) for level in args.concurrency.split(",")]:
        measure(args, concurrency)


def interleaved(args):
    """One round of single requests alternating target by target: (throughput, latencies, first tokens, prompt
    throughput) per target, each throughput over the time spent on that target's requests."""
    spent = {name: [0.0, 0, 0, [], []] for name, _url, _model in args.targets}
    for index in range(args.requests):
        # The order rotates request by request: none of the targets is always the one that follows another.
        shift = index % len(args.targets)
        for name, url, model in args.targets[shift:] + args.targets[:shift]:
            elapsed, (completion, prompt_tokens), first_token = one_request(url, model, args.max_tokens, args.stream,
                                                                            args.prompt_words)
            total = spent[name]
            total[0] += elapsed
            total[1] += completion
            total[2] += prompt_tokens
            total[3].append(elapsed)
            if first_token is not None:
                total[4].append(first_token)
    return {name: (c / t, lat, ft, p / t) for name, (t, c, p, lat, ft) in spent.items()}


def measure(args, concurrency):
    results = {name: ([], [], [], []) for name, _url, _model in args.targets}
    for round_index in range(args.rounds):
        alternating = interleaved(args) if args.interleave and concurrency == 1 else None
        # Every other round runs the targets in reverse order, so that none is always the one measured later in a
        # round (after the others have warmed or loaded the engine).
        order = args.targets if round_index % 2 == 0 else args.targets[::-1]
        for name, url, model in order:
            throughput, latencies, first_tokens, prompt_throughput = alternating[name] if alternating \
                else run(url, model, concurrency, args)
            results[name][0].append(throughput)
            results[name][1].extend(latencies)
            results[name][2].extend(first_tokens)
            results[name][3].append(prompt_throughput)
    print("load: %d requests x %d rounds, concurrency %d, max_tokens %d, stream %s, prompt words +%d%s"
          % (args.requests, args.rounds, concurrency, args.max_tokens, args.stream, args.prompt_words,
             ", alternating request by request" if args.interleave and concurrency == 1 else ""))
    summary = {}
    for name, (throughputs, latencies, first_tokens, prompt_throughputs) in results.items():
        latencies.sort()
        p50 = statistics.median(latencies) * 1000
        p90 = latencies[max(0, int(len(latencies) * 0.9) - 1)] * 1000
        ttft = statistics.median(first_tokens) * 1000 if first_tokens else float("nan")
        tps = statistics.median(throughputs)
        prompt_tps = statistics.median(prompt_throughputs)
        summary[name] = (tps, p50, ttft, prompt_tps)
        print("%-14s throughput %8.1f completion tokens/s (median of rounds)   prompt %8.1f tokens/s   p50 %8.2f ms"
              "   p90 %8.2f ms   TTFT p50 %8.2f ms" % (name, tps, prompt_tps, p50, p90, ttft))
    direct = summary["direct"]
    for name, through in summary.items():
        if name != "direct":
            print("ratio %s/direct throughput: %.3f   prompt: %.3f   added p50: %+.2f ms   added TTFT p50: %+.2f ms"
                  % (name, through[0] / direct[0], through[3] / direct[3] if direct[3] else float("nan"),
                     through[1] - direct[1], through[2] - direct[2]))


if __name__ == "__main__":
    main()
