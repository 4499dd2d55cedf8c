"""The xinference-client calls beyond launch and chat, unmodified, against Jinference (issue 11's list): engines by
model name with the default model type, register_model with model_family "other", launch progress without waiting,
registrations of other model types, cached models, instance info, abort_request, workers and supervisor info,
reload status and the cluster's version. Fixed routes such as /v1/models/instances win over /v1/models/{uid}."""
import json
import threading
import time

import requests

from conftest import SMOLLM2

CUSTOM = {
    "version": 2, "model_name": "my-smollm2", "model_description": "SmolLM2 under a family name of its own",
    "context_length": 2048, "model_lang": ["en"], "model_ability": ["chat"], "model_family": "other",
    "chat_template": "{% for m in messages %}<|im_start|>{{ m['role'] }}\n{{ m['content'] }}<|im_end|>\n{% endfor %}"
                     "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}",
    "stop": ["<|im_end|>"],
    "model_specs": [{"model_format": "ggufv2", "model_size_in_billions": "0_135", "quantization": "q4_1",
                     "model_id": "HuggingFaceTB/SmolLM2-135M-Instruct-GGUF",
                     "model_file_name_template": "smollm2-135m-instruct-{quantization}.gguf"}],
}


def test_query_engine_by_model_name_with_default_arguments(client):
    engines = client.query_engine_by_model_name("smollm2-instruct")

    assert "llama.cpp" in engines
    assert any(spec["model_format"] == "ggufv2" for spec in engines["llama.cpp"])


def test_register_a_family_of_its_own_with_model_family_other(client):
    client.register_model(model_type="LLM", model=json.dumps(CUSTOM), persist=False)
    try:
        registered = client.get_model_registration("LLM", "my-smollm2")
        assert registered["model_name"] == "my-smollm2"
        assert "my-smollm2" in [family["model_name"] for family in client.list_model_registrations("LLM")]
    finally:
        client.unregister_model("LLM", "my-smollm2")


def test_registrations_of_other_model_types_are_listed(client):
    assert client.list_model_registrations("embedding") == []
    assert client.list_model_registrations("rerank") == []


def test_launch_without_waiting_then_progress(client, smollm2_path, models):
    uid = client.launch_model(model_path=smollm2_path, model_uid="smollm2-progress", wait_ready=False,
                              model_engine="llama.cpp", **SMOLLM2)
    models._launched.append(uid)

    progress = client.get_launch_model_progress(uid)

    assert 0.0 <= progress["progress"] <= 1.0


def test_cached_models_are_a_list(client):
    assert isinstance(client.list_cached_models(), list)


def test_instance_info_is_not_read_as_a_model_uid(client, models):
    uid = models.launch(model_engine="llama.cpp", model_uid="smollm2-instance")

    instances = client.get_instance_info(model_name="smollm2-instruct", model_uid=uid)

    assert [instance["model_uid"] for instance in instances] == [uid]
    assert instances[0]["model_name"] == "smollm2-instruct"


def test_abort_request_ends_a_running_generation(client, server_url, admin_key, models):
    uid = models.launch(model_engine="llama.cpp", model_uid="smollm2-abort")
    answer = {}

    def long_generation():
        answer["response"] = requests.post(
            f"{server_url}/v1/chat/completions", timeout=300, headers={"Authorization": f"Bearer {admin_key}"},
            json={"model": uid, "request_id": "long-story", "max_tokens": 2000, "temperature": 0,
                  "messages": [{"role": "user", "content": "Tell me a very long story."}]})

    worker = threading.Thread(target=long_generation)
    worker.start()
    aborted = {"aborted": False}
    while worker.is_alive() and not aborted["aborted"]:
        time.sleep(0.2)  # until the generation has started and is registered under its request_id
        aborted = client.abort_request(uid, "long-story")
    worker.join(timeout=120)

    assert aborted == {"aborted": True}
    assert answer["response"].status_code == 499
    assert "aborted" in answer["response"].json()["detail"]
    assert client.abort_request(uid, "no-such-request") == {"aborted": False}


def test_workers_supervisor_reload_status_and_version(client, server_url, admin_key, models):
    uid = models.launch(model_engine="llama.cpp", model_uid="smollm2-cluster")

    assert [worker["node_type"] for worker in client.get_workers_info()] == ["Worker"]
    assert client.get_supervisor_info()["node_type"] == "Supervisor"
    assert client.get_model_reload_status(uid)["model_uid"] == uid
    version = requests.get(f"{server_url}/v1/cluster/version", timeout=10,
                           headers={"Authorization": f"Bearer {admin_key}"}).json()
    assert version["version"]


def test_prompts_are_not_read_as_a_model_uid(server_url, admin_key):
    prompts = requests.get(f"{server_url}/v1/models/prompts", timeout=10,
                           headers={"Authorization": f"Bearer {admin_key}"})

    assert prompts.status_code == 200
    assert "<|im_start|>" in prompts.json()["smollm2-instruct"]["chat_template"]
