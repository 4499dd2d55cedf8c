"""The official ollama PyPI client against Jinference's Ollama API (/api/*): version, tags, show, chat (whole,
streamed as NDJSON, with a JSON Schema format, with a forced tool call through the OpenAI route's options), generate,
embed, and errors that show their message. The model runs on llama.cpp's llama-server backend."""
import json

import ollama
import pydantic
import pytest
import requests

from conftest import CAPITAL_OF_FRANCE

GREEDY = {"temperature": 0, "num_predict": 32}


class City(pydantic.BaseModel):
    name: str
    country: str


@pytest.fixture(scope="module")
def api(server_url, admin_key) -> ollama.Client:
    return ollama.Client(host=server_url, headers={"Authorization": f"Bearer {admin_key}"}, timeout=300)


@pytest.fixture(scope="module")
def chat_model(models):
    return models.launch(model_engine="llama.cpp", model_uid="smollm2-ollama")


@pytest.fixture(scope="module")
def embed_model(models):
    return models.launch(model_engine="llama.cpp", model_uid="smollm2-ollama-embed", embedding=True)


def test_version_tags_and_show(api, server_url, admin_key, chat_model):
    version = requests.get(f"{server_url}/api/version", headers={"Authorization": f"Bearer {admin_key}"}, timeout=10)
    assert version.status_code == 200 and version.json()["version"]

    assert chat_model in [model.model for model in api.list().models]
    shown = api.show(chat_model)
    assert "<|im_start|>" in shown.template
    assert shown.details.format == "ggufv2"


def test_chat_answers_paris(api, chat_model):
    response = api.chat(model=chat_model, messages=CAPITAL_OF_FRANCE, options=GREEDY)

    assert "Paris" in response.message.content
    assert response.done and response.done_reason in ("stop", "length")
    assert response.prompt_eval_count > 0 and 0 < response.eval_count <= GREEDY["num_predict"]


def test_chat_streams_ndjson_parts(api, chat_model):
    parts = list(api.chat(model=chat_model, messages=CAPITAL_OF_FRANCE, options=GREEDY, stream=True))

    assert len(parts) > 2
    assert "Paris" in "".join(part.message.content for part in parts)
    assert [part.done for part in parts][-1] is True and not any(part.done for part in parts[:-1])
    assert parts[-1].eval_count > 0


def test_chat_with_a_json_schema_format_validates(api, chat_model):
    response = api.chat(model=chat_model, format=City.model_json_schema(), options={"temperature": 0,
                        "num_predict": 80},
                        messages=[{"role": "user", "content": "Name a city and its country, as JSON."}])

    City.model_validate_json(response.message.content)


def test_generate_and_raw_generate(api, chat_model):
    answer = api.generate(model=chat_model, prompt="What is the capital of France? Answer in one word.",
                          options=GREEDY)
    assert "Paris" in answer.response and answer.done

    raw = api.generate(model=chat_model, prompt="The capital of France is", raw=True, options=GREEDY)
    assert raw.response.strip()


def test_embed(api, embed_model):
    response = api.embed(model=embed_model, input=["Paris is in France.", "Bananas are yellow."])

    assert len(response.embeddings) == 2 and len(response.embeddings[0]) > 0


def test_errors_show_their_message(api, chat_model):
    with pytest.raises(ollama.ResponseError) as unknown:
        api.chat(model="no-such-model", messages=CAPITAL_OF_FRANCE)
    assert unknown.value.status_code == 404 and "no-such-model" in str(unknown.value)

    with pytest.raises(ollama.ResponseError) as unsupported:
        api.chat(model=chat_model, messages=CAPITAL_OF_FRANCE, options={"num_ctx": 4096})
    assert unsupported.value.status_code == 400 and "num_ctx" in str(unsupported.value)
    json.dumps(unsupported.value.error)
