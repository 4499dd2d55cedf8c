"""API keys as the unmodified clients use them: openai's api_key and xinference-client's api_key.

A user key may chat with the model its key names and nothing else; a missing or wrong key is a 401 and a key without
the right a 403, each shown by the client with the server's message.
"""
import openai
import pytest
from xinference_client import RESTfulClient

from conftest import CAPITAL_OF_FRANCE, GREEDY, chat_text


@pytest.fixture(scope="module")
def keyed_model(models, user_model):
    return models.launch(model_engine="llama.cpp", model_uid=user_model)


def _openai(server_url, key):
    return openai.OpenAI(base_url=f"{server_url}/v1", api_key=key, max_retries=0, timeout=120)


def test_cluster_auth_tells_the_truth(client):
    assert client._cluster_authed is True


def test_openai_user_key_chats_with_its_model(server_url, user_key, keyed_model):
    completion = _openai(server_url, user_key).chat.completions.create(
        model=keyed_model, messages=CAPITAL_OF_FRANCE, **GREEDY)
    assert "Paris" in completion.choices[0].message.content


def test_openai_user_key_is_refused_another_model(server_url, user_key, keyed_model):
    with pytest.raises(openai.PermissionDeniedError) as refused:
        _openai(server_url, user_key).chat.completions.create(
            model="smollm2-not-this-key", messages=CAPITAL_OF_FRANCE, **GREEDY)
    assert refused.value.status_code == 403
    assert "may not use model 'smollm2-not-this-key'" in str(refused.value)


def test_openai_wrong_key_is_401(server_url, keyed_model):
    with pytest.raises(openai.AuthenticationError) as refused:
        _openai(server_url, "jinf-wrong").chat.completions.create(
            model=keyed_model, messages=CAPITAL_OF_FRANCE, **GREEDY)
    assert refused.value.status_code == 401
    assert "Invalid API key" in str(refused.value)


def test_xinference_user_key_chats_with_its_model(server_url, user_key, keyed_model):
    user = RESTfulClient(server_url, api_key=user_key)
    try:
        assert "Paris" in chat_text(user.get_model(keyed_model).chat(messages=CAPITAL_OF_FRANCE,
                                                                     generate_config=GREEDY))
    finally:
        user.close()


def test_xinference_user_key_cannot_launch(server_url, user_key, smollm2_path):
    user = RESTfulClient(server_url, api_key=user_key)
    try:
        with pytest.raises(RuntimeError, match="admin key"):
            user.launch_model(model_name="smollm2-instruct", model_format="ggufv2", quantization="q4_1",
                              model_path=smollm2_path, model_uid="smollm2-user-launch")
    finally:
        user.close()


def test_xinference_without_a_key_shows_the_401_detail(server_url):
    anonymous = RESTfulClient(server_url)
    try:
        with pytest.raises(RuntimeError, match="requires an API key"):
            anonymous.list_models()
    finally:
        anonymous.close()
