"""openai-python's tools, structured output, logprobs, n and errors against both llama.cpp backends.

The llama-server backend (JINFERENCE_LLAMA_SERVER, launched with --jinja) claims tools, structured output and logprobs,
and serves them natively through the pass-through proxy; the in-JVM backend (java-llama.cpp in a model host) claims
structured output (a JSON Schema becomes a grammar) and tools (read out of the answer per the chat template's family),
and refuses logprobs with a 400 that names the parameter and the engine; SmolLM2's template shows no tools, so
tool_choice "auto" is refused for it with a 400 that says so. A forced tool_choice works on both: Jinference
constrains the answer to the calls' JSON Schema and turns it into tool_calls.
"""
import math

import httpx

import openai
import pydantic
import pytest

# Small budgets: the 135M model is quick, but CI machines are shared.
BUDGET = {"temperature": 0, "max_tokens": 80}


class City(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    name: str
    country: str


class WeatherArguments(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")
    city: str


WEATHER_TOOL = {"type": "function", "function": {
    "name": "get_weather", "description": "The current weather in a city",
    "parameters": WeatherArguments.model_json_schema()}}
WEATHER_QUESTION = [{"role": "user", "content": "What is the weather in Paris?"}]
FORCED = {"type": "function", "function": {"name": "get_weather"}}


@pytest.fixture(scope="module")
def api(server_url, admin_key) -> openai.OpenAI:
    return openai.OpenAI(base_url=f"{server_url}/v1", api_key=admin_key, max_retries=0, timeout=300)


@pytest.fixture(scope="module")
def server_model(models):
    # Pinned, so that a CI run without llama-server fails here instead of testing the in-JVM backend twice.
    return models.launch(model_engine="llama.cpp", model_backend="server", model_uid="smollm2-features-server")


@pytest.fixture(scope="module")
def jvm_model(models):
    return models.launch(model_engine="llama.cpp", model_backend="jvm", model_uid="smollm2-features-jvm")


@pytest.fixture(params=["server", "jvm"])
def any_model(request, server_model, jvm_model):
    return {"server": server_model, "jvm": jvm_model}[request.param]


def test_parse_with_a_pydantic_schema_validates(api, any_model):
    completion = api.chat.completions.parse(
        model=any_model, response_format=City, **BUDGET,
        messages=[{"role": "user", "content": "Name a city and its country, as JSON."}])

    city = completion.choices[0].message.parsed
    assert isinstance(city, City)
    assert City.model_validate_json(completion.choices[0].message.content) == city


@pytest.mark.parametrize("tool_choice", ["required", FORCED], ids=["required", "named"])
def test_forced_tool_choice_returns_valid_tool_calls(api, any_model, tool_choice):
    completion = api.chat.completions.create(model=any_model, messages=WEATHER_QUESTION, tools=[WEATHER_TOOL],
                                             tool_choice=tool_choice, **BUDGET)

    choice = completion.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    calls = choice.message.tool_calls
    assert len(calls) >= 1
    for call in calls:
        assert call.id and call.type == "function"
        assert call.function.name == "get_weather"
        WeatherArguments.model_validate_json(call.function.arguments)


def test_forced_tool_choice_streams_tool_call_deltas(api, any_model):
    stream = api.chat.completions.create(model=any_model, messages=WEATHER_QUESTION, tools=[WEATHER_TOOL],
                                         tool_choice=FORCED, stream=True, stream_options={"include_usage": True},
                                         **BUDGET)

    names, arguments, finish, usage = {}, {}, None, None
    for chunk in stream:
        usage = chunk.usage or usage
        for choice in chunk.choices:
            for delta in choice.delta.tool_calls or []:
                if delta.function.name:
                    names[delta.index] = delta.function.name
                arguments[delta.index] = arguments.get(delta.index, "") + (delta.function.arguments or "")
            finish = choice.finish_reason or finish
    assert finish == "tool_calls"
    assert names == {0: "get_weather"}
    WeatherArguments.model_validate_json(arguments[0])
    assert usage.completion_tokens > 0


def test_n_2_returns_two_choices(api, any_model):
    completion = api.chat.completions.create(model=any_model, messages=WEATHER_QUESTION, n=2, temperature=1.0,
                                             max_tokens=8, seed=7)

    assert sorted(choice.index for choice in completion.choices) == [0, 1]
    assert all(choice.message.content for choice in completion.choices)


def test_logprobs_are_present_and_sensible(api, server_model):
    completion = api.chat.completions.create(model=server_model, messages=WEATHER_QUESTION, logprobs=True,
                                             top_logprobs=3, max_tokens=6, temperature=0)

    tokens = completion.choices[0].logprobs.content
    assert len(tokens) == completion.usage.completion_tokens
    assert "".join(token.token for token in tokens) == completion.choices[0].message.content
    for token in tokens:
        assert token.logprob <= 0 and math.isfinite(token.logprob)
        assert len(token.top_logprobs) == 3
        # Greedy decoding picks the most likely token, and the alternatives' probabilities cannot exceed 1.
        assert token.logprob == pytest.approx(max(top.logprob for top in token.top_logprobs), abs=1e-4)
        assert sum(math.exp(top.logprob) for top in token.top_logprobs) <= 1 + 1e-3


def test_the_in_jvm_backend_refuses_logprobs_with_a_clear_400(api, jvm_model):
    with pytest.raises(openai.BadRequestError) as raised:
        api.chat.completions.create(model=jvm_model, messages=WEATHER_QUESTION, logprobs=True, max_tokens=4)

    assert raised.value.param == "logprobs"
    assert "logprobs" in str(raised.value) and "llama.cpp" in str(raised.value) and "(jvm)" in str(raised.value)


def test_the_in_jvm_backend_claims_tools_but_smollm2s_template_shows_none(api, jvm_model, server_url, admin_key):
    # The in-JVM backend claims 'tools': the engine renders them into the model's chat template and Jinference reads
    # the calls out of the answer in the format the template teaches (<tool_call>, Llama 3 JSON, [TOOL_CALLS]).
    # SmolLM2's template shows the model no tools, so automatic tool calls are refused with a 400 that says why; the
    # parse path itself runs on models whose templates show tools (AutoToolCallsRestTest, launcher).
    engine = httpx.get(f"{server_url}/v1/models/{jvm_model}",
                       headers={"Authorization": f"Bearer {admin_key}"}).json()["engine_details"]
    assert engine["backend"] == "jvm" and "<tool_call>" not in engine["chat_template_text"]
    with pytest.raises(openai.BadRequestError) as raised:
        api.chat.completions.create(model=jvm_model, messages=WEATHER_QUESTION, tools=[WEATHER_TOOL], max_tokens=4)

    assert raised.value.param == "tools"
    assert "chat template" in str(raised.value) and "llama.cpp" in str(raised.value)
    assert 'tool_choice "required"' in str(raised.value)

    # Tools the model may not call are no reason to refuse.
    answer = api.chat.completions.create(model=jvm_model, messages=WEATHER_QUESTION, tools=[WEATHER_TOOL],
                                         tool_choice="none", max_tokens=4, temperature=0)
    assert answer.choices[0].message.tool_calls is None and answer.choices[0].message.content


def test_the_error_message_is_in_the_exception_text(api, server_model):
    with pytest.raises(openai.BadRequestError) as raised:
        api.chat.completions.create(model=server_model, messages=WEATHER_QUESTION, top_p=3, max_tokens=4)

    assert "top_p must be in (0, 1]" in str(raised.value)
    assert raised.value.param == "top_p" and raised.value.type == "invalid_request_error"
    assert raised.value.body["message"] == "top_p must be in (0, 1]"


def test_a_model_reads_as_an_openai_model_object(api, server_model, client):
    model = api.models.retrieve(server_model)

    assert model.id == server_model and model.object == "model" and model.owned_by == "jinference"
    described = client.describe_model(server_model)
    assert described["model_name"] == "smollm2-instruct" and "model_hub" in described and "revision" in described
