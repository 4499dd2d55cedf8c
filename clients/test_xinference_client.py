"""The unmodified xinference-client PyPI package against Jinference: launch, list, describe, chat, stream, terminate."""
import pytest
import requests
from xinference_client.client.restful.restful_client import RESTfulChatModelHandle

from conftest import CAPITAL_OF_FRANCE, GREEDY, chat_text, streamed_text


@pytest.fixture(scope="module")
def chat_uid(models):
    """SmolLM2 launched on the llama.cpp engine under its default UID (the model name, as Xinference does)."""
    return models.launch(model_engine="llama.cpp")


def test_cluster_reports_auth(server_url):
    # The client calls this without a key in its constructor and reads "auth" to know whether to send its key; this
    # suite's server runs with a key file (scripts/run-client-tests.sh), so the answer is true.
    response = requests.get(f"{server_url}/v1/cluster/auth", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"auth": True}


def test_launch_without_uid_uses_the_model_name(chat_uid):
    assert chat_uid == "smollm2-instruct"


def test_launched_model_is_listed(client, chat_uid):
    listed = client.list_models()

    assert chat_uid in listed
    assert listed[chat_uid]["model_name"] == "smollm2-instruct"


def test_description_names_model_engine_and_spec(client, chat_uid):
    description = client.describe_model(chat_uid)

    assert description["model_type"] == "LLM"
    assert description["model_name"] == "smollm2-instruct"
    assert "chat" in description["model_ability"]
    assert description["model_engine"] == "llama.cpp"
    assert description["model_format"] == "ggufv2"
    assert description["quantization"].lower() == "q4_1"


def test_get_model_gives_a_chat_handle(client, chat_uid):
    assert isinstance(client.get_model(chat_uid), RESTfulChatModelHandle)


def test_chat_answers_paris(client, chat_uid):
    completion = client.get_model(chat_uid).chat(messages=CAPITAL_OF_FRANCE, generate_config=GREEDY)

    assert "Paris" in chat_text(completion)
    assert completion["choices"][0]["finish_reason"] in ("stop", "length")
    assert completion["usage"]["prompt_tokens"] > 0
    assert 0 < completion["usage"]["completion_tokens"] <= GREEDY["max_tokens"]


def test_chat_streams_chunks(client, chat_uid):
    chunks = list(client.get_model(chat_uid).chat(messages=CAPITAL_OF_FRANCE,
                                                    generate_config={**GREEDY, "stream": True}))

    assert len(chunks) > 1, "a streamed answer arrives in several chunks"
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    assert "Paris" in streamed_text(chunks)
    finish_reasons = [chunk["choices"][0].get("finish_reason") for chunk in chunks if chunk["choices"]]
    assert finish_reasons[-1] in ("stop", "length")


def test_generate_completes_a_prompt(client, chat_uid):
    completion = client.get_model(chat_uid).generate("The capital of France is", generate_config=GREEDY)

    assert completion["choices"][0]["text"].strip()
    assert 0 < completion["usage"]["completion_tokens"] <= GREEDY["max_tokens"]


def test_unknown_model_uid_is_a_clear_error(client):
    with pytest.raises(RuntimeError, match="no-such-model"):
        client.describe_model("no-such-model")


def test_launch_without_engine_lets_jinference_choose_then_terminate(client, models):
    uid = models.launch(model_uid="smollm2-chosen-engine")

    description = client.describe_model(uid)
    assert description["model_engine"] == "llama.cpp", "GGUF on a CPU host runs on llama.cpp"
    assert "Paris" in chat_text(client.get_model(uid).chat(messages=CAPITAL_OF_FRANCE, generate_config=GREEDY))

    client.terminate_model(uid)

    assert uid not in client.list_models()
    with pytest.raises(RuntimeError):
        client.describe_model(uid)
