package io.jinference.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionTokenLogprob;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.StructuredChatCompletion;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * openai-java, unmodified, against {@code jinf serve} with SmolLM2 on llama-server: chat, streaming, a forced tool
 * call whose arguments validate against the tool's schema (sync and streaming), structured output from a Java class,
 * {@code n = 2}, logprobs, and the server's error message in the exception.
 */
@ExtendWith(SharedServer.class)
final class OpenAiJavaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CAPITAL_OF_FRANCE = "What is the capital of France? Answer in one word.";
    private static OpenAIClient client;

    /** The JSON Schema of the weather tool's arguments, as the tests check them. */
    static final Map<String, Object> WEATHER_PARAMETERS = Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", List.of("city"),
            "additionalProperties", false);

    /** The structured answer: openai-java derives its JSON Schema from this class. */
    public static final class City {
        public String name;
        public String country;
    }

    @BeforeAll
    static void connect(JinfServe server) {
        client = OpenAIOkHttpClient.builder().baseUrl(server.openAiBaseUrl()).apiKey("none").maxRetries(0)
                .timeout(Duration.ofMinutes(5)).build();
    }

    @AfterAll
    static void disconnect() {
        if (client != null) {
            client.close();
        }
    }

    private static ChatCompletionCreateParams.Builder greedy(String question, long maxTokens) {
        return ChatCompletionCreateParams.builder().model(JinfServe.MODEL).addUserMessage(question)
                .temperature(0.0).maxCompletionTokens(maxTokens);
    }

    @Test
    void chat() {
        ChatCompletion completion = client.chat().completions().create(greedy(CAPITAL_OF_FRANCE, 32).build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().get(0).message().content()).hasValueSatisfying(
                text -> assertThat(text).contains("Paris"));
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isPositive());
    }

    @Test
    void streaming() {
        StringBuilder text = new StringBuilder();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(greedy(CAPITAL_OF_FRANCE, 32).build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                chunks++;
                chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            }
        }

        assertThat(chunks).isGreaterThan(2);
        assertThat(text.toString()).contains("Paris");
    }

    private static ChatCompletionCreateParams forcedWeatherCall() {
        FunctionParameters.Builder parameters = FunctionParameters.builder();
        WEATHER_PARAMETERS.forEach((key, value) -> parameters.putAdditionalProperty(key, JsonValue.from(value)));
        return greedy("What is the weather in Paris?", 80)
                .addTool(ChatCompletionFunctionTool.builder().function(FunctionDefinition.builder()
                        .name("get_weather").description("The current weather in a city")
                        .parameters(parameters.build()).build()).build())
                .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                .build();
    }

    @Test
    void aForcedToolCallHasArgumentsThatValidate() throws Exception {
        ChatCompletion completion = client.chat().completions().create(forcedWeatherCall());

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertWeatherCalls(choice.message().toolCalls().orElseThrow());
    }

    @Test
    void aForcedToolCallStreamed() throws Exception {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions()
                .createStreaming(forcedWeatherCall())) {
            stream.stream().forEach(accumulator::accumulate);
        }

        ChatCompletion completion = accumulator.chatCompletion();
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertWeatherCalls(choice.message().toolCalls().orElseThrow());
    }

    /** Each call names the tool and its arguments are an object with exactly a string {@code city}. */
    static void assertWeatherCalls(List<ChatCompletionMessageToolCall> calls) throws Exception {
        assertThat(calls).isNotEmpty();
        for (ChatCompletionMessageToolCall call : calls) {
            ChatCompletionMessageFunctionToolCall function = call.asFunction();
            assertThat(function.id()).isNotBlank();
            assertThat(function.function().name()).isEqualTo("get_weather");
            assertWeatherArguments(function.function().arguments());
        }
    }

    static void assertWeatherArguments(String arguments) throws Exception {
        JsonNode parsed = JSON.readTree(arguments);
        assertThat(parsed.isObject()).as(arguments).isTrue();
        assertThat(parsed.path("city").isTextual()).as(arguments).isTrue();
        assertThat(parsed.properties()).as(arguments).hasSize(1);
    }

    @Test
    void structuredOutputFromAJavaClass() {
        StructuredChatCompletion<City> completion = client.chat().completions().create(
                greedy("Name a city and its country, as JSON.", 80).responseFormat(City.class).build());

        City city = completion.choices().get(0).message().content().orElseThrow();
        assertThat(city.name).isNotBlank();
        assertThat(city.country).isNotBlank();
    }

    @Test
    void twoChoices() {
        ChatCompletion completion = client.chat().completions().create(greedy(CAPITAL_OF_FRANCE, 8).n(2).build());

        assertThat(completion.choices()).extracting(ChatCompletion.Choice::index).containsExactly(0L, 1L);
        completion.choices().forEach(choice -> assertThat(choice.message().content()).isPresent());
    }

    /** One logprob per completion token, the greedy token among the top alternatives, probabilities that add up. */
    @Test
    void logprobs() {
        ChatCompletion completion = client.chat().completions().create(greedy(CAPITAL_OF_FRANCE, 6)
                .logprobs(true).topLogprobs(3).build());

        List<ChatCompletionTokenLogprob> tokens = completion.choices().get(0).logprobs().orElseThrow().content()
                .orElseThrow();
        assertThat(tokens).hasSize((int) completion.usage().orElseThrow().completionTokens());
        for (ChatCompletionTokenLogprob token : tokens) {
            assertThat(token.logprob()).isLessThanOrEqualTo(0);
            assertThat(token.topLogprobs()).hasSize(3);
            assertThat(token.topLogprobs().get(0).token()).isEqualTo(token.token());
            double mass = token.topLogprobs().stream().mapToDouble(top -> Math.exp(top.logprob())).sum();
            assertThat(mass).isGreaterThan(0).isLessThanOrEqualTo(1.0 + 1e-6);
        }
    }

    @Test
    void theServersErrorMessageIsInTheException() {
        assertThatThrownBy(() -> client.chat().completions().create(greedy(CAPITAL_OF_FRANCE, 8).topP(1.5).build()))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("top_p must be in (0, 1]");
    }
}
