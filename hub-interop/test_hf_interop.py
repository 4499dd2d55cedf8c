"""Jinference and huggingface_hub share the Hugging Face cache, and the hub stand-in answers like the hub.

huggingface_hub (the real library) downloads from the stand-in and gets the files as they are on disk; what
`jinf download` puts in the cache, huggingface_hub finds offline (scan_cache_dir, try_to_load_from_cache); and what
hf_hub_download put there, Jinference uses without downloading anything.
"""
import filecmp
import hashlib
from pathlib import Path

from huggingface_hub import hf_hub_download, scan_cache_dir, snapshot_download, try_to_load_from_cache

from conftest import CHECKPOINT_REPO, GGUF_FILE, GGUF_REPO, jinf, stand_in_stats

CHECKPOINT_FILES = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json",
                    "model.safetensors"]


def checkpoint_files(checkpoint):
    return [name for name in CHECKPOINT_FILES if (checkpoint / name).exists()]


def test_hf_hub_download_from_the_stand_in_gets_identical_files(hf_home, smollm2, checkpoint):
    gguf = hf_hub_download(GGUF_REPO, GGUF_FILE, cache_dir=hf_home / "hub")
    assert filecmp.cmp(gguf, smollm2, shallow=False)
    blob = Path(gguf).resolve()
    assert blob.name == hashlib.sha256(smollm2.read_bytes()).hexdigest()
    for name in checkpoint_files(checkpoint):
        assert filecmp.cmp(hf_hub_download(CHECKPOINT_REPO, name, cache_dir=hf_home / "hub"), checkpoint / name, shallow=False), name
    snapshot = Path(snapshot_download(CHECKPOINT_REPO, cache_dir=hf_home / "hub"))
    assert filecmp.cmp(snapshot / "config.json", checkpoint / "config.json", shallow=False)


def test_what_jinference_downloads_huggingface_hub_finds_offline(hf_home, jinf_home, smollm2, checkpoint):
    gguf = jinf("download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1", "--no-progress",
                home=jinf_home)
    assert gguf.returncode == 0, gguf.stderr
    tiny = jinf("download", "tiny-llama-hub", "--no-progress", home=jinf_home)
    assert tiny.returncode == 0, tiny.stderr

    repos = {repo.repo_id: repo for repo in scan_cache_dir(hf_home / "hub").repos}
    assert set(repos) == {GGUF_REPO, CHECKPOINT_REPO}
    assert not scan_cache_dir(hf_home / "hub").warnings
    cached = try_to_load_from_cache(GGUF_REPO, GGUF_FILE, cache_dir=hf_home / "hub")
    assert isinstance(cached, str) and filecmp.cmp(cached, smollm2, shallow=False)
    assert Path(cached) == Path(gguf.stdout.strip())
    for name in checkpoint_files(checkpoint):
        cached = try_to_load_from_cache(CHECKPOINT_REPO, name, cache_dir=hf_home / "hub")
        assert isinstance(cached, str), name
        assert filecmp.cmp(cached, checkpoint / name, shallow=False), name
    # hf_hub_download without the network serves Jinference's files as its own
    assert filecmp.cmp(hf_hub_download(GGUF_REPO, GGUF_FILE, cache_dir=hf_home / "hub", local_files_only=True),
                       smollm2, shallow=False)


def test_what_huggingface_hub_downloaded_jinference_uses_without_downloading(hf_home, jinf_home, stand_in, smollm2):
    gguf = hf_hub_download(GGUF_REPO, GGUF_FILE, cache_dir=hf_home / "hub")
    served = stand_in_stats(stand_in)["served_bytes"]

    offline = jinf("download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1", "--no-progress",
                   home=jinf_home, offline=True)
    assert offline.returncode == 0, offline.stderr
    assert Path(offline.stdout.strip()) == Path(gguf)

    online = jinf("download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1", "--no-progress",
                  home=jinf_home)
    assert online.returncode == 0, online.stderr
    assert Path(online.stdout.strip()) == Path(gguf)
    assert stand_in_stats(stand_in)["served_bytes"] == served, "the cached file was fetched again"


def test_offline_with_a_cold_cache_says_why(hf_home, jinf_home):
    cold = jinf("download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1", "--no-progress",
                home=jinf_home, offline=True)
    assert cold.returncode == 1
    assert "HF_HUB_OFFLINE" in cold.stderr and GGUF_REPO in cold.stderr


def test_jinf_cache_list_and_rm(hf_home, jinf_home):
    assert jinf("download", "smollm2-instruct", "--format", "ggufv2", "--quantization", "q4_1", "--no-progress",
                home=jinf_home).returncode == 0
    listed = jinf("cache", "list", home=jinf_home)
    assert listed.returncode == 0, listed.stderr
    assert "smollm2-instruct--0_135B--ggufv2--Q4_1" in listed.stdout
    removed = jinf("cache", "rm", "smollm2-instruct--0_135B--ggufv2--Q4_1", home=jinf_home)
    assert removed.returncode == 0, removed.stderr
    assert not any(repo.repo_id == GGUF_REPO for repo in scan_cache_dir(hf_home / "hub").repos)
