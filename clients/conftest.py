"""Shared fixtures for the real-client tests.

The tests talk to an already running `jinf serve` (JINFERENCE_URL) started with API keys, as the clients' users run
it: JINFERENCE_API_KEY is an admin key, JINFERENCE_USER_KEY a user key for the model UID JINFERENCE_USER_MODEL only.
They launch SmolLM2-135M-Instruct from the GGUF file named by JINFERENCE_SMOLLM2. scripts/run-client-tests.sh
provides all of these; running pytest without them is a usage
error, not a skip, so a misconfigured CI can never pass by testing nothing.
"""
import os

import pytest
from xinference_client import RESTfulClient

# How the tests name SmolLM2 to Jinference: the catalog family, its GGUF format and the quantization of the file.
SMOLLM2 = {"model_name": "smollm2-instruct", "model_format": "ggufv2", "quantization": "q4_1"}
# The 135M model sits on a knife edge for the bare question: greedy decoding answers "The capital of France is Paris."
# or "L'Étoile, la Marseillaise, ..." depending on which llama.cpp slot and prompt-cache state serve it. Asking for
# one word tips it to Paris every time (checked over repeated, interleaved, plain and streamed requests).
CAPITAL_OF_FRANCE = [{"role": "user", "content": "What is the capital of France? Answer in one word."}]
# Greedy decoding keeps the answers reproducible; 32 tokens are plenty for "The capital of France is Paris."
GREEDY = {"temperature": 0, "max_tokens": 32}


def _required_env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise pytest.UsageError(f"{name} is not set: run the client tests through scripts/run-client-tests.sh")
    return value


@pytest.fixture(scope="session")
def server_url() -> str:
    return _required_env("JINFERENCE_URL").rstrip("/")


@pytest.fixture(scope="session")
def smollm2_path() -> str:
    path = _required_env("JINFERENCE_SMOLLM2")
    if not os.path.isfile(path):
        raise pytest.UsageError(f"JINFERENCE_SMOLLM2 names no file: {path}")
    return path


@pytest.fixture(scope="session")
def admin_key() -> str:
    return _required_env("JINFERENCE_API_KEY")


@pytest.fixture(scope="session")
def user_key() -> str:
    return _required_env("JINFERENCE_USER_KEY")


@pytest.fixture(scope="session")
def user_model() -> str:
    return _required_env("JINFERENCE_USER_MODEL")


@pytest.fixture(scope="session")
def client(server_url, admin_key) -> RESTfulClient:
    xinference = RESTfulClient(server_url, api_key=admin_key)
    yield xinference
    xinference.close()


class LaunchedModels:
    """Launches SmolLM2 through the unmodified xinference-client and terminates whatever is still running at the end."""

    def __init__(self, client: RESTfulClient, gguf_path: str):
        self._client = client
        self._gguf_path = gguf_path
        self._launched = []

    def launch(self, **options) -> str:
        uid = self._client.launch_model(model_path=self._gguf_path, **SMOLLM2, **options)
        self._launched.append(uid)
        return uid

    def terminate_all(self):
        running = self._client.list_models()
        for uid in self._launched:
            if uid in running:
                self._client.terminate_model(uid)


@pytest.fixture(scope="module")
def models(client, smollm2_path):
    launched = LaunchedModels(client, smollm2_path)
    yield launched
    launched.terminate_all()


def chat_text(completion: dict) -> str:
    return completion["choices"][0]["message"]["content"]


def streamed_text(chunks: list) -> str:
    """Joins the content deltas of OpenAI chat chunks given as dicts (the xinference-client's shape)."""
    return "".join((chunk["choices"][0]["delta"].get("content") or "") for chunk in chunks if chunk["choices"])
