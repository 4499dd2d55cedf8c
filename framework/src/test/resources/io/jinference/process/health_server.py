"""A small real HTTP server used as a supervised child in tests: /health answers 503 during a warm-up, then 200.

Usage: python3 health_server.py PORT WARMUP_SECONDS
"""
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port, warmup = int(sys.argv[1]), float(sys.argv[2])
started = time.monotonic()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        warm = time.monotonic() - started >= warmup
        self.send_response(200 if warm else 503)
        self.end_headers()
        self.wfile.write(b"ok" if warm else b"warming up")

    def log_message(self, fmt, *args):
        print("health_server: " + fmt % args, flush=True)


print("health_server listening on", port, flush=True)
ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
