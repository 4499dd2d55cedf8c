"""Serves one GGUF model through llama.cpp's own HTTP server, embedded in the xllamacpp PyPI package.

The benchmark's "native" side: the same OpenAI API that Jinference serves, straight from llama.cpp's C++ server.
Usage: python xllamacpp_server.py --model FILE --port N --threads N --ctx N --parallel N
It prints one line "listening <url>" once the model is loaded and serves until SIGTERM or SIGINT.
"""
import argparse
import signal
import sys

import xllamacpp


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="GGUF file")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True, help="threads for decode and for prompt batches")
    parser.add_argument("--ctx", type=int, required=True, help="total context, shared by the slots")
    parser.add_argument("--parallel", type=int, required=True, help="slots decoded together (continuous batching)")
    return parser.parse_args()


def main():
    args = parse_args()
    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.hostnames = ["127.0.0.1"]
    params.port = args.port
    params.n_ctx = args.ctx
    params.n_parallel = args.parallel
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    params.n_gpu_layers = 0
    server = xllamacpp.Server(params)
    print(f"listening {server.listening_address} xllamacpp {xllamacpp.__version__}", flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    del server
    return 0


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    sys.exit(main())
