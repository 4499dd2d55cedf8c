"""GET /metrics read by Prometheus' own text parser (prometheus-client's), before and after a streamed chat."""
import openai
import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from conftest import CAPITAL_OF_FRANCE, GREEDY


@pytest.fixture(scope="module")
def metrics_model(models):
    return models.launch(model_engine="llama.cpp", model_uid="smollm2-metrics")


def scrape(server_url, key):
    answer = requests.get(f"{server_url}/metrics", headers={"Authorization": f"Bearer {key}"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    return {family.name: family for family in text_string_to_metric_families(answer.text)}


def sample(families, family, name, **labels):
    """The value of the sample `name` of `family` whose labels include `labels`; 0 when there is none yet."""
    if family not in families:
        return 0.0
    values = [s.value for s in families[family].samples
              if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    return values[0] if values else 0.0


def test_a_streamed_chat_moves_the_models_token_counters_and_ttft(server_url, admin_key, metrics_model):
    before = scrape(server_url, admin_key)
    api = openai.OpenAI(base_url=f"{server_url}/v1", api_key=admin_key, max_retries=0, timeout=120)

    stream = api.chat.completions.create(model=metrics_model, messages=CAPITAL_OF_FRANCE, stream=True,
                                         stream_options={"include_usage": True}, **GREEDY)
    usage = [chunk.usage for chunk in stream if chunk.usage is not None][-1]

    after = scrape(server_url, admin_key)
    model = {"model_uid": metrics_model}
    assert after["jinference_model_state"].type == "gauge"
    assert sample(after, "jinference_model_state", "jinference_model_state", state="ready", **model) == 1
    completion = "jinference_model_completion_tokens"
    assert after[completion].type == "counter"
    assert (sample(after, completion, completion + "_total", **model)
            - sample(before, completion, completion + "_total", **model)) == usage.completion_tokens
    ttft = "jinference_model_time_to_first_token_seconds"
    assert after[ttft].type == "histogram"
    assert (sample(after, ttft, ttft + "_count", **model) - sample(before, ttft, ttft + "_count", **model)) == 1
    assert sample(after, ttft, ttft + "_bucket", le="+Inf", **model) == sample(after, ttft, ttft + "_count", **model)
    http = "http_server_requests_seconds"
    assert sample(after, http, http + "_count", route="/v1/chat/completions", status="200") >= 1
    assert "jvm_memory_used_bytes" in after


def test_metrics_are_an_admin_route(server_url, user_key):
    assert requests.get(f"{server_url}/metrics", timeout=30).status_code == 401
    assert requests.get(f"{server_url}/metrics", headers={"Authorization": f"Bearer {user_key}"},
                        timeout=30).status_code == 403
