"""openai-python's Responses API (client.responses.create, plain and streamed, with tools) and xinference-client's
rerank, against SmolLM2 on the llama-server backend (JINFERENCE_LLAMA_SERVER).

/v1/responses is served over /v1/chat/completions, so a forced tool_choice becomes function_call output items whose
arguments validate against the tool's schema. /v1/rerank runs on llama-server's --reranking: SmolLM2 has no
classification head, so its scores carry no meaning and only the wire (Xinference's shape) is checked.
"""
import json

import openai
import pydantic
import pytest


class WeatherArguments(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    city: str


WEATHER_TOOL = {"type": "function", "name": "get_weather", "description": "The current weather in a city",
                "parameters": WeatherArguments.model_json_schema()}
CAPITAL = "What is the capital of France? Answer in one word."
BUDGET = {"temperature": 0, "max_output_tokens": 48}


@pytest.fixture(scope="module")
def api(server_url, admin_key) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server_url}/v1", api_key=admin_key, max_retries=0, timeout=300)


@pytest.fixture(scope="module")
def server_model(models):
    return models.launch(model_engine="llama.cpp", model_backend="server", model_uid="smollm2-responses")


def test_a_response_with_instructions(api, server_model):
    response = api.responses.create(model=server_model, instructions="You are a helpful assistant.",
                                    input=CAPITAL, **BUDGET)

    assert response.object == "response" and response.status == "completed"
    assert response.id.startswith("resp_")
    assert "Paris" in response.output_text
    assert response.output[0].type == "message" and response.output[0].role == "assistant"
    assert response.usage.output_tokens > 0
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens


def test_a_streamed_response_sends_the_responses_events(api, server_model):
    events = list(api.responses.create(model=server_model, input=[{"role": "user", "content": CAPITAL}],
                                       stream=True, **BUDGET))

    types = [event.type for event in events]
    assert types[:2] == ["response.created", "response.in_progress"]
    assert types[-1] == "response.completed"
    assert "response.output_text.done" in types and "response.output_item.done" in types
    assert [event.sequence_number for event in events] == list(range(len(events)))
    deltas = "".join(event.delta for event in events if event.type == "response.output_text.delta")
    assert "Paris" in deltas
    assert events[-1].response.output_text == deltas
    assert events[-1].response.usage.output_tokens > 0


def test_a_required_tool_call_is_a_function_call_item(api, server_model):
    response = api.responses.create(model=server_model, input="What is the weather in Paris?", tools=[WEATHER_TOOL],
                                    tool_choice="required", **BUDGET)

    calls = [item for item in response.output if item.type == "function_call"]
    assert calls and calls[0].name == "get_weather" and calls[0].call_id
    WeatherArguments.model_validate_json(calls[0].arguments)


def test_a_streamed_tool_call(api, server_model):
    events = list(api.responses.create(model=server_model, input="What is the weather in Paris?",
                                       tools=[WEATHER_TOOL], tool_choice={"type": "function", "name": "get_weather"},
                                       stream=True, **BUDGET))

    done = [event for event in events if event.type == "response.function_call_arguments.done"]
    assert len(done) == 1
    WeatherArguments.model_validate_json(done[0].arguments)
    final = events[-1].response
    assert final.output[0].type == "function_call" and final.output[0].arguments == done[0].arguments


def test_the_tool_result_goes_back_as_input_items(api, server_model):
    first = api.responses.create(model=server_model, input="What is the weather in Paris?", tools=[WEATHER_TOOL],
                                 tool_choice="required", **BUDGET)
    call = next(item for item in first.output if item.type == "function_call")

    second = api.responses.create(model=server_model, tools=[WEATHER_TOOL], tool_choice="none", **BUDGET, input=[
        {"role": "user", "content": "What is the weather in Paris?"},
        {"type": "function_call", "call_id": call.call_id, "name": call.name, "arguments": call.arguments},
        {"type": "function_call_output", "call_id": call.call_id, "output": json.dumps({"weather": "sunny"})}])

    assert second.status == "completed" and second.output_text


def test_what_is_not_served_is_a_400_naming_it(api, server_model):
    with pytest.raises(openai.BadRequestError) as raised:
        api.responses.create(model=server_model, input=CAPITAL, store=True, **BUDGET)
    assert raised.value.param == "store" and "not stored" in str(raised.value)

    with pytest.raises(openai.BadRequestError) as raised:
        api.responses.create(model=server_model, input=CAPITAL, tools=[{"type": "web_search"}], **BUDGET)
    assert raised.value.param == "tools" and "web_search" in str(raised.value)


def test_xinference_client_reranks(client, models):
    uid = models.launch(model_engine="llama.cpp", model_backend="server", model_type="rerank",
                        model_uid="smollm2-rerank")
    documents = ["Paris is the capital of France.", "Berlin is the capital of Germany.", "A cat sat on a mat."]

    answer = client.get_model(uid).rerank(documents, "What is the capital of France?", top_n=2,
                                          return_documents=True, return_len=True)

    assert answer["id"]
    results = answer["results"]
    assert len(results) == 2
    assert results[0]["relevance_score"] >= results[1]["relevance_score"]
    for result in results:
        assert result["document"]["text"] == documents[result["index"]]
    assert answer["meta"]["tokens"]["input_tokens"] > 0
