package io.jinference.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * LangChain4j's OpenAI models, unmodified, against {@code jinf serve} with SmolLM2 on llama-server: chat, streaming,
 * a required tool call (sync and streaming) whose arguments validate, the AI-service tool loop run to its end,
 * structured output into a record, and the server's error message in the exception.
 */
@ExtendWith(SharedServer.class)
final class LangChain4jTest {
    private static final String CAPITAL_OF_FRANCE = "What is the capital of France? Answer in one word.";
    private static final ToolSpecification WEATHER = ToolSpecification.builder().name("get_weather")
            .description("The current weather in a city")
            .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city")
                    .additionalProperties(false).build())
            .build();
    private static String baseUrl;

    @BeforeAll
    static void connect(JinfServe server) {
        baseUrl = server.openAiBaseUrl();
    }

    private static OpenAiChatModel.OpenAiChatModelBuilder chatModel(int maxTokens) {
        return OpenAiChatModel.builder().baseUrl(baseUrl).apiKey("none").modelName(JinfServe.MODEL)
                .temperature(0.0).maxTokens(maxTokens).maxRetries(0).timeout(Duration.ofMinutes(5));
    }

    private static OpenAiStreamingChatModel streamingModel(int maxTokens) {
        return OpenAiStreamingChatModel.builder().baseUrl(baseUrl).apiKey("none").modelName(JinfServe.MODEL)
                .temperature(0.0).maxTokens(maxTokens).timeout(Duration.ofMinutes(5)).build();
    }

    @Test
    void chat() {
        assertThat(chatModel(32).build().chat(CAPITAL_OF_FRANCE)).contains("Paris");
    }

    @Test
    void streaming() throws Exception {
        List<String> partials = new CopyOnWriteArrayList<>();
        ChatResponse response = stream(streamingModel(32), ChatRequest.builder()
                .messages(UserMessage.from(CAPITAL_OF_FRANCE)).build(), partials);

        assertThat(partials.size()).isGreaterThan(1);
        assertThat(String.join("", partials)).isEqualTo(response.aiMessage().text()).contains("Paris");
    }

    private static ChatRequest requiredWeatherCall() {
        return ChatRequest.builder().messages(UserMessage.from("What is the weather in Paris?"))
                .parameters(ChatRequestParameters.builder().toolSpecifications(WEATHER)
                        .toolChoice(ToolChoice.REQUIRED).maxOutputTokens(80).build())
                .build();
    }

    @Test
    void aRequiredToolCallHasArgumentsThatValidate() throws Exception {
        ChatResponse response = chatModel(80).build().chat(requiredWeatherCall());

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertWeatherCalls(response.aiMessage().toolExecutionRequests());
    }

    @Test
    void aRequiredToolCallStreamed() throws Exception {
        ChatResponse response = stream(streamingModel(80), requiredWeatherCall(), new CopyOnWriteArrayList<>());

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertWeatherCalls(response.aiMessage().toolExecutionRequests());
    }

    private static void assertWeatherCalls(List<ToolExecutionRequest> calls) throws Exception {
        assertThat(calls).isNotEmpty();
        for (ToolExecutionRequest call : calls) {
            assertThat(call.id()).isNotBlank();
            assertThat(call.name()).isEqualTo("get_weather");
            OpenAiJavaTest.assertWeatherArguments(call.arguments());
        }
    }

    /** The tool an AI service calls; it records what it was asked. */
    static final class WeatherTool {
        final List<String> cities = new CopyOnWriteArrayList<>();

        @Tool("The current weather in a city")
        String getWeather(@P("the city") String city) {
            cities.add(city);
            return "Sunny, 21 degrees Celsius";
        }
    }

    interface WeatherAssistant {
        Result<String> ask(String question);
    }

    /**
     * The AI service's loop: the model calls the tool (the first request requires a tool call, since SmolLM2's
     * template knows no tools and it would not choose one by itself), LangChain4j runs it and sends its result back,
     * and the model answers in text. The second request leaves the tools out, as OpenAI's Agents SDK resets a
     * required tool choice after a call, so that the loop ends.
     */
    @Test
    void theAiServiceToolLoopRunsToItsEnd() {
        WeatherTool tool = new WeatherTool();
        WeatherAssistant assistant = AiServices.builder(WeatherAssistant.class).chatModel(chatModel(60).build())
                .tools(tool).chatRequestTransformer(LangChain4jTest::requireOneToolCall).build();

        Result<String> answer = assistant.ask("What is the weather in Paris?");

        assertThat(tool.cities).hasSize(1);
        assertThat(tool.cities.get(0)).isNotBlank();
        assertThat(answer.toolExecutions()).hasSize(1);
        assertThat(answer.toolExecutions().get(0).result()).isEqualTo("Sunny, 21 degrees Celsius");
        assertThat(answer.content()).isNotBlank();
        assertThat(answer.finishReason()).isIn(FinishReason.STOP, FinishReason.LENGTH);
    }

    private static ChatRequest requireOneToolCall(ChatRequest request) {
        boolean toolAnswered = request.messages().stream().anyMatch(ToolExecutionResultMessage.class::isInstance);
        ChatRequestParameters parameters = toolAnswered
                ? ChatRequestParameters.builder().overrideWith(request.parameters()).toolSpecifications(List.of())
                        .toolChoice(null).build()
                : ChatRequestParameters.builder().overrideWith(request.parameters()).toolChoice(ToolChoice.REQUIRED)
                        .build();
        return request.toBuilder().parameters(parameters).build();
    }

    record City(String name, String country) {
    }

    interface Geographer {
        City city(String question);
    }

    @Test
    void structuredOutputIntoARecord() {
        Geographer geographer = AiServices.create(Geographer.class, chatModel(80)
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA).strictJsonSchema(true).build());

        City city = geographer.city("Name a city and its country.");

        assertThat(city.name()).isNotBlank();
        assertThat(city.country()).isNotBlank();
    }

    @Test
    void theServersErrorMessageIsInTheException() {
        assertThatThrownBy(() -> chatModel(8).topP(1.5).build().chat(CAPITAL_OF_FRANCE))
                .hasMessageContaining("top_p must be in (0, 1]");
    }

    private static ChatResponse stream(OpenAiStreamingChatModel model, ChatRequest request, List<String> partials)
            throws Exception {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partials.add(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.get(5, TimeUnit.MINUTES);
    }
}
