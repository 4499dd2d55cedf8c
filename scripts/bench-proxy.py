"""Load generator: the same OpenAI chat load against an engine server directly and through Jinference.

Usage: python3 bench-proxy.py DIRECT_URL DIRECT_MODEL JINFERENCE_URL JINFERENCE_MODEL
           [--requests 64] [--concurrency 4] [--max-tokens 32] [--rounds 3] [--stream]
Rounds alternate direct / through Jinference so that both see the same machine load. Prints, per target, the
completion-token throughput and the p50/p90 request latency (time to the last byte), and the ratio / added p50.
Standard library only.
"""
import argparse
import http.client
import json
import statistics
import threading
import time
from urllib.parse import urlparse


def one_request(url, model, max_tokens, stream):
    parsed = urlparse(url)
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": "Tell me a story."}],
                       "max_tokens": max_tokens, "temperature": 0, "ignore_eos": True, "stream": stream,
                       **({"stream_options": {"include_usage": True}} if stream else {})})
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=300)
    started = time.perf_counter()
    connection.request("POST", "/v1/chat/completions", body, {"Content-Type": "application/json"})
    response = connection.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    connection.close()
    if response.status != 200:
        raise RuntimeError("HTTP %d: %s" % (response.status, data[:300]))
    if stream:
        tokens = 0
        for line in data.decode().splitlines():
            if line.startswith("data: ") and line != "data: [DONE]":
                usage = json.loads(line[6:]).get("usage")
                if usage:
                    tokens = usage["completion_tokens"]
    else:
        tokens = json.loads(data)["usage"]["completion_tokens"]
    return elapsed, tokens


def run(url, model, args):
    latencies, tokens, lock = [], [0], threading.Lock()
    remaining = [args.requests]

    def worker():
        while True:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            elapsed, count = one_request(url, model, args.max_tokens, args.stream)
            with lock:
                latencies.append(elapsed)
                tokens[0] += count

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return tokens[0] / wall, latencies


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("direct_url")
    parser.add_argument("direct_model")
    parser.add_argument("jinference_url")
    parser.add_argument("jinference_model")
    parser.add_argument("--requests", type=int, default=64)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--max-tokens", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--stream", action="store_true")
    args = parser.parse_args()

    one_request(args.direct_url, args.direct_model, 4, args.stream)  # warm-up
    one_request(args.jinference_url, args.jinference_model, 4, args.stream)
    results = {"direct": ([], []), "jinference": ([], [])}
    for _ in range(args.rounds):
        for name, url, model in (("direct", args.direct_url, args.direct_model),
                                 ("jinference", args.jinference_url, args.jinference_model)):
            throughput, latencies = run(url, model, args)
            results[name][0].append(throughput)
            results[name][1].extend(latencies)
    print("load: %d requests x %d rounds, concurrency %d, max_tokens %d, stream %s"
          % (args.requests, args.rounds, args.concurrency, args.max_tokens, args.stream))
    summary = {}
    for name, (throughputs, latencies) in results.items():
        latencies.sort()
        p50 = statistics.median(latencies) * 1000
        p90 = latencies[int(len(latencies) * 0.9) - 1] * 1000
        tps = statistics.median(throughputs)
        summary[name] = (tps, p50)
        print("%-10s throughput %8.1f completion tokens/s (median of rounds)   p50 %8.2f ms   p90 %8.2f ms"
              % (name, tps, p50, p90))
    print("ratio jinference/direct throughput: %.3f   added p50: %+.2f ms"
          % (summary["jinference"][0] / summary["direct"][0], summary["jinference"][1] - summary["direct"][1]))


if __name__ == "__main__":
    main()
