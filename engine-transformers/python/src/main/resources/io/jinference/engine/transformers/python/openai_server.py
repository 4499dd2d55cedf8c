"""Jinference's OpenAI-compatible server for one Hugging Face transformers model.

The Transformers engine's Python backend starts it as a managed process (supervised, proxied over loopback):

    python openai_server.py --model DIR --served-model-name UID --host 127.0.0.1 --port N [--device cpu|cuda]
        [--dtype auto|float32|bfloat16|float16] [--threads N] [--attn-implementation NAME]
        [--chat-template FILE] [--stop-token-ids ID ...] [--max-model-len N]

`transformers serve` is not used: it needs fastapi, uvicorn and openai besides transformers, and serves models it
loads on demand by Hub name. This server needs only what a transformers runtime has (the standard library, torch,
transformers; accelerate for device_map on GPUs). It binds its port once the model is loaded, so `GET /health`
answering means ready. Routes: GET /health, GET /v1/models, POST /v1/chat/completions, POST /v1/completions, each
streamed as Server-Sent Events on request. Generation runs one request at a time (the next ones wait): model.generate
does not batch separate requests.

Request parameters: max_tokens (max_completion_tokens), temperature, top_p, top_k, repetition_penalty, seed, stop,
n=1, stream, stream_options.include_usage, and the vLLM extensions ignore_eos and return_token_ids (the generated
token ids in `choices[].token_ids`, the prompt's in `prompt_token_ids`). Parameters that would change the answer but
are not implemented (tools, response_format, logprobs, presence and frequency penalties, n>1, ...) are refused with
400 rather than ignored.
"""
import argparse
import copy
import json
import queue
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch
import transformers
from transformers import AutoModelForCausalLM, AutoTokenizer, StoppingCriteria, StoppingCriteriaList
from transformers.generation.streamers import BaseStreamer

MAX_BODY_BYTES = 16 * 1024 * 1024
DTYPES = {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}

# Parameters a client may send with these values and no effect here (OpenAI SDKs and LangChain send some of them).
NEUTRAL = {"presence_penalty": (0, 0.0, None), "frequency_penalty": (0, 0.0, None), "logprobs": (False, None),
           "top_logprobs": (0, None), "logit_bias": (None,), "n": (1, None), "best_of": (1, None),
           "echo": (False, None), "suffix": (None,), "tools": (None,), "tool_choice": (None, "none"),
           "response_format": (None,), "parallel_tool_calls": (None, True, False), "functions": (None,),
           "function_call": (None, "none")}
COMMON = {"model", "stream", "stream_options", "max_tokens", "temperature", "top_p", "top_k", "seed", "stop",
          "repetition_penalty", "user", "ignore_eos", "return_token_ids"}
CHAT_KEYS = COMMON | {"messages", "max_completion_tokens"}
COMPLETION_KEYS = COMMON | {"prompt"}


class RequestError(Exception):
    def __init__(self, message, status=400, param=None):
        super().__init__(message)
        self.status = status
        self.param = param


def log(message):
    print(time.strftime("%H:%M:%S"), message, file=sys.stderr, flush=True)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--served-model-name", required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--device", choices=["cpu", "cuda"], default="cpu")
    parser.add_argument("--dtype", choices=["auto"] + sorted(DTYPES), default="auto")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--attn-implementation")
    parser.add_argument("--chat-template")
    parser.add_argument("--stop-token-ids", type=int, nargs="*", default=[])
    parser.add_argument("--max-model-len", type=int)
    return parser.parse_args(argv)


def chosen_dtype(name, device):
    """bfloat16 (else float16) on a GPU that has it; float32 on the CPU, where most cores compute bf16 slowly."""
    if name != "auto":
        return DTYPES[name]
    if device == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    return torch.float32


def version_tuple(text):
    return tuple(int(part) for part in re.findall(r"\d+", text)[:2])


class Model:
    """The loaded checkpoint, its tokenizer and what requests need to know about them."""

    def __init__(self, args):
        self.name = args.served_model_name
        self.tokenizer = AutoTokenizer.from_pretrained(args.model)
        if args.chat_template:
            with open(args.chat_template, encoding="utf-8") as f:
                self.tokenizer.chat_template = f.read()
        dtype = chosen_dtype(args.dtype, args.device)
        # transformers 4.56 renamed torch_dtype to dtype.
        kwargs = {"dtype" if version_tuple(transformers.__version__) >= (4, 56) else "torch_dtype": dtype}
        if args.device == "cuda":
            kwargs["device_map"] = "auto"
        if args.attn_implementation:
            kwargs["attn_implementation"] = args.attn_implementation
        self.model = AutoModelForCausalLM.from_pretrained(args.model, **kwargs).eval()
        self.device = self.model.device
        config = self.model.config
        trained = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
        self.context = args.max_model_len or trained
        defaults = self.model.generation_config
        eos = defaults.eos_token_id if defaults.eos_token_id is not None else self.tokenizer.eos_token_id
        eos = [] if eos is None else ([eos] if isinstance(eos, int) else list(eos))
        self.eos_ids = eos + [i for i in args.stop_token_ids if i not in eos]
        self.pad_id = next(i for i in (defaults.pad_token_id, self.tokenizer.pad_token_id, *self.eos_ids, 0)
                           if i is not None)
        self.lock = threading.Lock()
        log(f"loaded {type(self.model).__name__} from {args.model}: {dtype} on {self.device}, context {self.context},"
            f" transformers {transformers.__version__}, torch {torch.__version__}")

    def chat_prompt(self, messages):
        if not self.tokenizer.chat_template:
            raise RequestError("The checkpoint has no chat template (tokenizer_config.json or chat_template.jinja),"
                               " so it cannot chat; use /v1/completions", param="messages")
        text = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
        # The template writes the special tokens itself, as apply_chat_template(tokenize=True) encodes it.
        return self.tokenizer(text, add_special_tokens=False)["input_ids"]

    def completion_prompt(self, prompt):
        if isinstance(prompt, list) and len(prompt) == 1:
            prompt = prompt[0]
        if isinstance(prompt, str):
            return self.tokenizer(prompt)["input_ids"]
        if isinstance(prompt, list) and prompt and all(isinstance(t, int) and not isinstance(t, bool) for t in prompt):
            if not all(0 <= t < len(self.tokenizer) for t in prompt):
                raise RequestError("prompt holds a token id outside the vocabulary", param="prompt")
            return prompt
        raise RequestError("prompt must be a string or a list of token ids (one prompt per request)", param="prompt")


class TokenQueue(BaseStreamer):
    """Receives generate()'s new token ids (the first put is the prompt, which is skipped)."""

    def __init__(self):
        self.items = queue.Queue()
        self.prompt_seen = False

    def put(self, value):
        if not self.prompt_seen:
            self.prompt_seen = True
            return
        for token in value.reshape(-1).tolist():
            self.items.put(token)

    def end(self):
        self.items.put(None)

    def fail(self, error):
        self.items.put(error)


class Cancelled(StoppingCriteria):
    """Stops generate() between tokens once the request is over (a stop string seen, the client gone)."""

    def __init__(self, event):
        self.event = event

    def __call__(self, input_ids, scores, **kwargs):
        return torch.full((input_ids.shape[0],), self.event.is_set(), dtype=torch.bool, device=input_ids.device)


class Generation:
    """One request's generation, run on a thread of its own; iterate over (text, token ids) pieces."""

    def __init__(self, model, prompt_ids, body):
        self.model = model
        self.prompt_ids = prompt_ids
        self.ids = []
        self.text = ""
        self.emitted = 0
        self.finish_reason = None
        self.cancel = threading.Event()
        self.stops = stops_of(body)
        self.hold = max((len(s) for s in self.stops), default=1) - 1
        remaining = None if model.context is None else model.context - len(prompt_ids)
        if remaining is not None and remaining <= 0:
            raise RequestError(f"The prompt is {len(prompt_ids)} tokens; the model's context is {model.context}",
                               param="messages")
        self.max_tokens = max_tokens_of(body, remaining)
        self.config = generation_config(model, body, self.max_tokens)
        self.seed = integer(body, "seed", None)
        self.streamer = TokenQueue()

    def start(self):
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        try:
            with self.model.lock:
                if self.cancel.is_set():
                    self.streamer.end()
                    return
                if self.seed is not None:
                    torch.manual_seed(self.seed)
                ids = torch.tensor([self.prompt_ids], device=self.model.device)
                with torch.inference_mode():
                    # use_model_defaults=False: the config already holds the checkpoint's defaults and the request's
                    # settings; generate() would otherwise put the checkpoint's back over request values that equal
                    # transformers' global defaults (do_sample=False, for one).
                    self.model.model.generate(input_ids=ids, attention_mask=torch.ones_like(ids),
                                              generation_config=self.config, use_model_defaults=False,
                                              streamer=self.streamer,
                                              stopping_criteria=StoppingCriteriaList([Cancelled(self.cancel)]))
        except Exception as error:  # reported to the client as the stream's error
            log(f"generation failed: {error!r}")
            self.streamer.fail(error)

    def pieces(self):
        """Yields (new text, new token ids) until the generation ends; sets finish_reason."""
        while True:
            item = self.streamer.items.get()
            if item is None:
                break
            if isinstance(item, Exception):
                raise item
            if self.finish_reason is not None:
                continue  # tokens generated after a stop string, before generate() noticed the cancellation
            self.ids.append(item)
            self.text = self.model.tokenizer.decode(self.ids, skip_special_tokens=True)
            stop_at = self._stop_position()
            if stop_at is not None:
                self.finish_reason = "stop"
                self.cancel.set()
                yield self._release(stop_at), [item]
                continue
            # Hold back an unfinished UTF-8 character and what could be the start of a stop string.
            safe = len(self.text.rstrip("\ufffd")) - self.hold
            yield self._release(max(safe, self.emitted)), [item]
        if self.finish_reason is None:
            self.finish_reason = "length" if len(self.ids) >= self.max_tokens and (
                not self.ids or self.ids[-1] not in self.config_eos()) else "stop"
            yield self._release(len(self.text)), []

    def config_eos(self):
        eos = self.config.eos_token_id
        return [] if eos is None else ([eos] if isinstance(eos, int) else list(eos))

    def _stop_position(self):
        start = max(0, self.emitted - self.hold)
        found = [i for i in (self.text.find(s, start) for s in self.stops) if i >= 0]
        return min(found) if found else None

    def _release(self, end):
        piece = self.text[self.emitted:end]
        self.emitted = max(self.emitted, end)
        return piece

    def final_text(self):
        return self.text[:self.emitted]


def stops_of(body):
    stop = body.get("stop")
    if stop is None:
        return []
    if isinstance(stop, str):
        stop = [stop]
    if not isinstance(stop, list) or not all(isinstance(s, str) and s for s in stop) or len(stop) > 16:
        raise RequestError("stop must be a non-empty string or a list of at most 16 of them", param="stop")
    return stop


def integer(body, key, fallback):
    value = body.get(key)
    if value is None:
        return fallback
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(f"{key} must be an integer", param=key)
    return value


def number(body, key):
    value = body.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError(f"{key} must be a number", param=key)
    return float(value)


def max_tokens_of(body, remaining):
    wanted = integer(body, "max_completion_tokens", integer(body, "max_tokens", None))
    if wanted is None:
        if remaining is None:
            raise RequestError("max_tokens is required: the model's context length is unknown", param="max_tokens")
        return remaining
    if wanted < 1:
        raise RequestError("max_tokens must be at least 1", param="max_tokens")
    if remaining is not None and wanted > remaining:
        raise RequestError(f"max_tokens {wanted} and the prompt's tokens exceed the model's context; at most "
                           f"{remaining} tokens can be generated for this prompt", param="max_tokens")
    return wanted


def generation_config(model, body, max_tokens):
    """The checkpoint's generation_config.json, with what the request sets (as vLLM takes its defaults from it)."""
    config = copy.deepcopy(model.model.generation_config)
    if config.cache_implementation == "hybrid":
        # As generate() does with the checkpoint's own config: the dynamic sliding-window cache, not the static one.
        config.cache_implementation = None
    config.max_new_tokens = max_tokens
    config.pad_token_id = model.pad_id
    config.eos_token_id = model.eos_ids or None
    if body.get("ignore_eos") is True:
        # As llama-server does: the end-of-sequence tokens cannot be picked until max_tokens are generated.
        config.min_new_tokens = max_tokens
    temperature = number(body, "temperature")
    top_p = number(body, "top_p")
    top_k = integer(body, "top_k", None)
    if temperature is not None and not 0 <= temperature <= 2:
        raise RequestError("temperature must be between 0 and 2", param="temperature")
    if top_p is not None and not 0 < top_p <= 1:
        raise RequestError("top_p must be in (0, 1]", param="top_p")
    if top_k is not None and top_k < -1:
        raise RequestError("top_k must be -1 (off) or a positive number", param="top_k")
    repetition = number(body, "repetition_penalty")
    if repetition is not None:
        if not 0 < repetition <= 2:
            raise RequestError("repetition_penalty must be in (0, 2]", param="repetition_penalty")
        config.repetition_penalty = repetition
    if temperature is not None:
        config.do_sample = temperature > 0
    if config.do_sample:
        config.temperature = temperature if temperature else (config.temperature or 1.0)
        config.top_p = top_p if top_p is not None else config.top_p
        config.top_k = None if top_k in (0, -1) else (top_k if top_k is not None else config.top_k)
    else:
        # Greedy: generate() warns about sampling settings that greedy search would not use.
        config.temperature, config.top_p, config.top_k = 1.0, 1.0, 50
    return config


def check_parameters(body, allowed):
    for key, value in body.items():
        if key in allowed:
            continue
        if key in NEUTRAL:
            if value in NEUTRAL[key]:
                continue
            raise RequestError(f"{key}={json.dumps(value)} is not supported by the Python transformers backend",
                               param=key)
        raise RequestError(f"Unknown or unsupported parameter: {key}", param=key)
    if body.get("stream") not in (None, True, False):
        raise RequestError("stream must be true or false", param="stream")
    options = body.get("stream_options")
    if options is not None and (not isinstance(options, dict) or set(options) - {"include_usage"}):
        raise RequestError("stream_options may only hold include_usage", param="stream_options")


def chat_messages(body):
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise RequestError("messages must be a non-empty list", param="messages")
    plain = []
    for message in messages:
        if not isinstance(message, dict) or not isinstance(message.get("role"), str):
            raise RequestError("each message needs a role and a content", param="messages")
        content = message.get("content")
        if isinstance(content, list):
            if not all(isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
                       for p in content):
                raise RequestError("only text content parts are supported", param="messages")
            content = "".join(p["text"] for p in content)
        elif content is None:
            content = ""
        elif not isinstance(content, str):
            raise RequestError("message content must be a string or a list of text parts", param="messages")
        if set(message) - {"role", "content", "name"}:
            raise RequestError("tool calls and other message fields are not supported", param="messages")
        plain.append({**message, "content": content})
    return plain


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # TCP_NODELAY: a plain answer is written as headers, then body, and each stream event on its own. With Nagle's
    # algorithm on, the second write waited for the client's delayed ACK of the first: up to 40 ms per answer
    # (seen through Jinference's proxy as +52 ms per plain request, docs/benchmarks.md).
    disable_nagle_algorithm = True
    server_version = "jinference-transformers"
    model = None

    def log_message(self, fmt, *args):
        if not self.path.startswith("/health"):
            log(f"{self.command} {self.path} {fmt % args}")

    def do_GET(self):
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            self._json(200, {"object": "list", "data": [{"id": self.model.name, "object": "model",
                                                         "owned_by": "jinference", "created": int(time.time()),
                                                         "max_model_len": self.model.context}]})
        else:
            self._error(RequestError(f"No route GET {self.path}", status=404))

    def do_POST(self):
        try:
            body = self._body()
            if body.get("model") not in (None, self.model.name):
                raise RequestError(f"The model `{body.get('model')}` does not exist; this server serves "
                                   f"{self.model.name}", status=404, param="model")
            if self.path == "/v1/chat/completions":
                check_parameters(body, CHAT_KEYS)
                prompt = self.model.chat_prompt(chat_messages(body))
                self._generate(body, prompt, chat=True)
            elif self.path == "/v1/completions":
                check_parameters(body, COMPLETION_KEYS)
                self._generate(body, self.model.completion_prompt(body.get("prompt")), chat=False)
            else:
                raise RequestError(f"No route POST {self.path}", status=404)
        except RequestError as error:
            self._error(error)
        except (BrokenPipeError, ConnectionResetError):
            pass
        except Exception as error:
            log(f"request failed: {error!r}")
            self._error(RequestError(f"The transformers server failed: {error}", status=500))

    def _body(self):
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise RequestError("A JSON body with Content-Length is required", status=411)
        if int(length) > MAX_BODY_BYTES:
            raise RequestError(f"The body is larger than {MAX_BODY_BYTES} bytes", status=413)
        try:
            body = json.loads(self.rfile.read(int(length)))
        except (ValueError, UnicodeDecodeError) as error:
            raise RequestError(f"The body is not valid JSON: {error}")
        if not isinstance(body, dict):
            raise RequestError("The body must be a JSON object")
        return body

    def _generate(self, body, prompt_ids, chat):
        generation = Generation(self.model, prompt_ids, body)
        ident = ("chatcmpl-" if chat else "cmpl-") + uuid.uuid4().hex
        created = int(time.time())
        with_ids = body.get("return_token_ids") is True
        generation.start()
        try:
            if body.get("stream"):
                self._stream(generation, body, ident, created, chat, with_ids)
            else:
                for _ in generation.pieces():
                    pass
                choice = {"index": 0, "finish_reason": generation.finish_reason, "logprobs": None}
                if chat:
                    choice["message"] = {"role": "assistant", "content": generation.final_text()}
                else:
                    choice["text"] = generation.final_text()
                if with_ids:
                    choice["token_ids"] = generation.ids
                answer = {"id": ident, "object": "chat.completion" if chat else "text_completion",
                          "created": created, "model": self.model.name, "choices": [choice],
                          "usage": usage(generation)}
                if with_ids:
                    answer["prompt_token_ids"] = prompt_ids
                self._json(200, answer)
        finally:
            generation.cancel.set()

    def _stream(self, generation, body, ident, created, chat, with_ids):
        kind = "chat.completion.chunk" if chat else "text_completion"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

        def event(choices, **more):
            chunk = {"id": ident, "object": kind, "created": created, "model": self.model.name, "choices": choices}
            chunk.update(more)
            self._chunk("data: " + json.dumps(chunk) + "\n\n")

        def choice(text, ids, finish=None):
            entry = {"index": 0, "finish_reason": finish, "logprobs": None}
            if chat:
                entry["delta"] = {"content": text} if text or finish is None else {}
            else:
                entry["text"] = text
            if with_ids:
                entry["token_ids"] = ids
            return entry

        try:
            if chat:
                first = {"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None,
                         "logprobs": None}
                event([first], **({"prompt_token_ids": generation.prompt_ids} if with_ids else {}))
            for text, ids in generation.pieces():
                if text or (with_ids and ids):
                    event([choice(text, ids)])
            event([choice("", [], generation.finish_reason)])
            if (body.get("stream_options") or {}).get("include_usage"):
                event([], usage=usage(generation))
        except RequestError as error:
            self._chunk("data: " + json.dumps(error_body(error)) + "\n\n")
        except (BrokenPipeError, ConnectionResetError):
            generation.cancel.set()
            return
        except Exception as error:
            log(f"generation failed: {error!r}")
            self._chunk("data: " + json.dumps(error_body(RequestError(str(error), status=500))) + "\n\n")
        self._chunk("data: [DONE]\n\n")
        self._chunk("")

    def _chunk(self, text):
        data = text.encode("utf-8")
        self.wfile.write(f"{len(data):x}\r\n".encode("ascii") + data + b"\r\n")
        self.wfile.flush()

    def _json(self, status, payload):
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, error):
        self._json(error.status, error_body(error))


def usage(generation):
    prompt, completion = len(generation.prompt_ids), len(generation.ids)
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}


def error_body(error):
    kind = "invalid_request_error" if error.status < 500 else "internal_server_error"
    return {"error": {"message": str(error), "type": kind, "param": error.param, "code": error.status}}


def main(argv):
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    Handler.model = Model(args)
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    log(f"serving {args.served_model_name} on http://{args.host}:{args.port}")
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
