"""A stand-in for `python -m sglang.launch_server` (SGLang needs CUDA, which this machine lacks).

It accepts SGLang's command line, answers /health with 503 while "warming up" (1.5 s) and 200 after, as SGLang
does, and speaks the OpenAI wire format SGLang speaks: streamed chat and completions (SSE with a usage chunk and
[DONE]) and embeddings. It checks that requests name the served model, and logs when a client goes away.
"""
import argparse
import json
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--model-path", required=True)
parser.add_argument("--host", default="127.0.0.1")
parser.add_argument("--port", type=int, default=30000)
parser.add_argument("--served-model-name")
args, unknown = parser.parse_known_args()
served = args.served_model_name or args.model_path
started = time.monotonic()
WARMUP = 1.5
WORDS = ["Hello", " from", " the", " stand-in", " SGLang", " server", "."]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/health":
            warm = time.monotonic() - started >= WARMUP
            self.reply(200 if warm else 503, {} if warm else {"detail": "warming up"})
        elif self.path == "/v1/models":
            self.reply(200, {"object": "list", "data": [{"id": served, "object": "model"}]})
        else:
            self.reply(404, {"detail": "not found"})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        print("request", self.path, "model=" + str(body.get("model")), flush=True)
        if body.get("model") != served:
            return self.reply(404, {"error": {"message": "The model `%s` does not exist." % body.get("model")}})
        if self.path == "/v1/embeddings":
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [{"object": "embedding", "index": i, "embedding": [float(len(text)), 0.5, -1.0]}
                    for i, text in enumerate(inputs)]
            return self.reply(200, {"object": "list", "data": data, "usage": {"prompt_tokens": len(inputs) * 2}})
        max_tokens = body.get("max_tokens", len(WORDS))
        if max_tokens < 1:
            return self.reply(400, {"error": {"message": "max_tokens must be at least 1, got %d" % max_tokens}})
        chat = self.path == "/v1/chat/completions"
        prompt = body["messages"][-1]["content"] if chat else body["prompt"]
        words = WORDS * 50 if prompt == "slow" else WORDS
        count = min(max_tokens, len(words))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            for i in range(count):
                finish = None if i < count - 1 else ("length" if count < len(words) else "stop")
                choice = {"index": 0, "finish_reason": finish}
                if chat:
                    choice["delta"] = {"content": words[i]}
                else:
                    choice["text"] = words[i]
                self.event({"id": "x", "model": served, "choices": [choice]})
                if prompt == "slow":
                    time.sleep(0.05)
            self.event({"id": "x", "model": served, "choices": [],
                        "usage": {"prompt_tokens": 5, "completion_tokens": count, "total_tokens": 5 + count}})
            self.chunk(b"data: [DONE]\n\n")
            self.chunk(b"")
        except (BrokenPipeError, ConnectionResetError):
            print("client went away during streaming", flush=True)

    def event(self, payload):
        self.chunk(("data: " + json.dumps(payload) + "\n\n").encode())

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def reply(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *a):
        print("stand-in sglang: " + fmt % a, flush=True)


print("stand-in sglang serving", args.model_path, "as", served, "on", args.port, "ignoring", unknown, flush=True)
ThreadingHTTPServer((args.host, args.port), Handler).serve_forever()
