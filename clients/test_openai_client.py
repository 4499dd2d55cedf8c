"""The official openai PyPI package against Jinference's OpenAI-compatible API: models, chat, stream, embeddings."""
import math

import openai
import pytest

from conftest import CAPITAL_OF_FRANCE, GREEDY

# The llama.cpp engine's launch option that turns embeddings on (an engine kwarg passed through POST /v1/models).
EMBEDDINGS_ON = {"embedding": True}


@pytest.fixture(scope="module")
def api(server_url, admin_key) -> openai.OpenAI:
    # The server runs with API keys (see conftest). No retries: a failure must show, not be papered over.
    return openai.OpenAI(base_url=f"{server_url}/v1", api_key=admin_key, max_retries=0, timeout=120)


@pytest.fixture(scope="module")
def chat_model(models):
    return models.launch(model_engine="llama.cpp", model_uid="smollm2-openai-chat")


@pytest.fixture(scope="module")
def embedding_model(models):
    return models.launch(model_engine="llama.cpp", model_uid="smollm2-openai-embed", **EMBEDDINGS_ON)


def test_models_lists_the_launched_model(api, chat_model):
    assert chat_model in [model.id for model in api.models.list()]


def test_chat_answers_paris(api, chat_model):
    completion = api.chat.completions.create(model=chat_model, messages=CAPITAL_OF_FRANCE, **GREEDY)

    assert "Paris" in completion.choices[0].message.content
    assert completion.choices[0].finish_reason in ("stop", "length")
    assert completion.usage.prompt_tokens > 0
    assert 0 < completion.usage.completion_tokens <= GREEDY["max_tokens"]


def test_chat_streams_token_chunks(api, chat_model):
    chunks = list(api.chat.completions.create(model=chat_model, messages=CAPITAL_OF_FRANCE, stream=True, **GREEDY))

    assert len(chunks) > 1, "a streamed answer arrives in several chunks"
    text = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)
    assert "Paris" in text
    assert [chunk.choices[0].finish_reason for chunk in chunks if chunk.choices][-1] in ("stop", "length")


def test_completions_continue_a_prompt(api, chat_model):
    completion = api.completions.create(model=chat_model, prompt="The capital of France is", **GREEDY)

    assert completion.choices[0].text.strip()
    assert completion.usage.completion_tokens > 0


def test_embeddings_are_deterministic_vectors(api, embedding_model):
    sentences = ["Paris is the capital of France.", "Paris is the capital of France.", "Bananas are yellow."]

    response = api.embeddings.create(model=embedding_model, input=sentences)

    vectors = [item.embedding for item in sorted(response.data, key=lambda item: item.index)]
    assert len(vectors) == 3
    assert len({len(vector) for vector in vectors}) == 1 and len(vectors[0]) > 0
    assert all(math.isfinite(value) for vector in vectors for value in vector)
    assert _cosine(vectors[0], vectors[1]) == pytest.approx(1.0, abs=1e-4), "the same text embeds the same way"
    assert _cosine(vectors[0], vectors[2]) < 0.9999, "different texts embed differently"
    assert response.usage.prompt_tokens > 0


def test_unknown_model_is_a_4xx_with_detail(api):
    with pytest.raises(openai.APIStatusError) as raised:
        api.chat.completions.create(model="no-such-model", messages=CAPITAL_OF_FRANCE, **GREEDY)

    assert 400 <= raised.value.status_code < 500
    assert "no-such-model" in raised.value.response.json()["detail"]


def _cosine(a, b) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_a_stream_cut_by_terminating_its_model_raises_an_api_error(api, client, models):
    # Jinference ends a stream whose model goes away with an error event, never a finish reason: the SDK raises it.
    doomed = models.launch(model_engine="llama.cpp", model_uid="smollm2-openai-doomed")
    stream = api.chat.completions.create(model=doomed, stream=True, max_tokens=600, temperature=0,
                                         messages=[{"role": "user", "content": "Tell me a very long story."}])
    chunks = iter(stream)
    next(chunks)
    client.terminate_model(doomed)

    with pytest.raises(openai.APIError, match="terminated while generating"):
        for chunk in chunks:
            assert not (chunk.choices and chunk.choices[0].finish_reason), "a cut stream must not claim to be whole"
