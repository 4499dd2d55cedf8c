package io.jinference.engine.transformers.python;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jinference.api.ChatMessage;
import io.jinference.api.ChatRequest;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.SamplingParams;
import io.jinference.engine.support.OpenAiProxyModel;
import io.jinference.engine.support.testing.LoadRequests;
import io.jinference.engine.support.testing.ManagedServerScenario;
import io.jinference.engine.support.testing.RecordingSink;
import io.jinference.engine.support.testing.SupervisedEngineContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backend end to end on a real child Python (transformers 4.57, CPU) serving a tiny random Gemma 2 made by
 * transformers: greedy answers equal transformers' own generate(), token for token; stop strings; refusals; and the
 * managed-server scenario every engine server passes (kill -9 → failed → relaunched; stopped on close).
 */
final class PythonTransformersServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path home;
    private SupervisedEngineContext context;

    @BeforeEach
    void useTheReferenceRuntime() {
        System.setProperty(PythonBackendFixtures.RUNTIME_PROPERTY, PythonBackendFixtures.python().toString());
        context = new SupervisedEngineContext(home, SupervisedEngineContext.linuxCpuHost());
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        System.clearProperty(PythonBackendFixtures.RUNTIME_PROPERTY);
    }

    @Test
    void aGemma2CheckpointAnswersAsTransformersGenerateDoesAndSurvivesAKill() throws Exception {
        Path checkpoint = PythonBackendFixtures.checkpoint("gemma2");
        JsonNode reference = PythonBackendFixtures.reference(checkpoint);
        OpenAiProxyModel model = (OpenAiProxyModel) new PythonTransformersEngine().load(LoadRequests.of("tiny-gemma2",
                "pytorch", "none", checkpoint, Map.of("launch_timeout", 300, "max_restarts", 1), List.of()), context);
        assertThat(model.describe()).containsEntry("backend", "python").containsEntry("architecture",
                "Gemma2ForCausalLM").containsEntry("chat_template", "the checkpoint's own");

        RecordingSink sink = new RecordingSink();
        Generation generation = model.chat(new ChatRequest(messages(reference), greedy(32, List.of())), sink);
        assertThat(sink.text()).isEqualTo(reference.path("chat_text").asText());
        assertThat(sink.chunks()).as("streamed token by token").hasSizeGreaterThan(8);
        assertThat(generation.finishReason()).isEqualTo(FinishReason.LENGTH);
        assertThat(generation.usage().promptTokens()).isEqualTo(reference.path("chat_prompt_ids").size());

        String server = model.describe().get("server_url").toString();
        JsonNode chat = post(server + "/v1/chat/completions", body("tiny-gemma2").set("messages",
                reference.path("messages")));
        assertThat(ids(chat.path("choices").get(0).path("token_ids"))).isEqualTo(ids(reference.path("chat_greedy")));
        assertThat(ids(chat.path("prompt_token_ids"))).isEqualTo(ids(reference.path("chat_prompt_ids")));
        JsonNode completion = post(server + "/v1/completions", body("tiny-gemma2").put("prompt",
                reference.path("prompt").asText()));
        assertThat(ids(completion.path("choices").get(0).path("token_ids")))
                .isEqualTo(ids(reference.path("prompt_greedy")));
        assertThat(completion.path("choices").get(0).path("text").asText())
                .isEqualTo(reference.path("prompt_text").asText());

        String text = reference.path("chat_text").asText();
        String stop = text.substring(10, 13);
        RecordingSink stopped = new RecordingSink();
        Generation untilStop = model.chat(new ChatRequest(messages(reference), greedy(32, List.of(stop))), stopped);
        assertThat(stopped.text()).isEqualTo(text.substring(0, text.indexOf(stop)));
        assertThat(untilStop.finishReason()).isEqualTo(FinishReason.STOP);

        ManagedServerScenario.chats(model);
        ManagedServerScenario.survivesAKill(model, Duration.ofSeconds(300));
        ManagedServerScenario.stopsOnClose(model);
    }

    @Test
    void whatTheServerDoesNotImplementIsA400NotIgnored() throws Exception {
        Path checkpoint = PythonBackendFixtures.checkpoint("olmo");
        JsonNode reference = PythonBackendFixtures.reference(checkpoint);
        OpenAiProxyModel model = (OpenAiProxyModel) new PythonTransformersEngine().load(LoadRequests.of("tiny-olmo",
                "pytorch", "none", checkpoint, Map.of(), List.of()), context);
        String server = model.describe().get("server_url").toString();

        for (String refused : List.of("{\"logprobs\": true}", "{\"n\": 2}", "{\"response_format\": {\"type\":"
                + " \"json_object\"}}", "{\"frequency_penalty\": 0.5}", "{\"mirostat\": 2}", "{\"max_tokens\": 999}")) {
            ObjectNode request = body("tiny-olmo").setAll((ObjectNode) JSON.readTree(refused));
            request.set("messages", reference.path("messages"));
            HttpResponse<String> answer = send(server + "/v1/chat/completions", request.toString());
            assertThat(answer.statusCode()).as(refused + " → " + answer.body()).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path("error").path("message").asText()).isNotBlank();
        }
        assertThat(send(server + "/v1/chat/completions", "{not json").statusCode()).isEqualTo(400);
        ObjectNode otherModel = body("some-other-model");
        otherModel.set("messages", reference.path("messages"));
        assertThat(send(server + "/v1/chat/completions", otherModel.toString()).statusCode()).isEqualTo(404);
        assertThatThrownBy(() -> model.chat(new ChatRequest(messages(reference), new SamplingParams(4, 0.0, null, null,
                null, List.of(), null, 0.0, 1.5, Map.of(), Map.of())), new RecordingSink()))
                .isInstanceOf(EngineException.class).hasMessageContaining("frequency_penalty")
                .extracting(e -> ((EngineException) e).kind()).isEqualTo(EngineException.Kind.INVALID_REQUEST);
        model.close();
    }

    @Test
    void anArchitectureTheInstalledTransformersLacksIsRefusedBeforePythonStarts() throws Exception {
        Path folder = Files.createDirectories(home.resolve("glm"));
        Files.writeString(folder.resolve("config.json"), "{\"architectures\": [\"ChatGLMModel\"]}");

        assertThatThrownBy(() -> new PythonTransformersEngine().load(LoadRequests.of("glm", "pytorch", "none",
                folder, Map.of(), List.of()), context)).isInstanceOf(EngineException.class)
                .hasMessageContaining("MODEL_UNSUPPORTED").hasMessageContaining("ChatGLMModel");
        assertThatThrownBy(() -> new PythonTransformersEngine().load(LoadRequests.of("none", "pytorch", "none",
                home.resolve("no-such-folder"), Map.of(), List.of()), context)).isInstanceOf(EngineException.class)
                .hasMessageContaining("is not a folder");
        assertThatThrownBy(() -> new PythonTransformersEngine().load(LoadRequests.of("pinned", "pytorch", "none",
                folder, Map.of("model_backend", "jvm"), List.of()), context)).isInstanceOf(EngineException.class)
                .hasMessageContaining("the pin was not honoured");
    }

    private static List<ChatMessage> messages(JsonNode reference) {
        List<ChatMessage> messages = new ArrayList<>();
        reference.path("messages").forEach(m -> messages.add(new ChatMessage(m.path("role").asText(),
                m.path("content").asText())));
        return messages;
    }

    private static SamplingParams greedy(int tokens, List<String> stop) {
        return new SamplingParams(tokens, 0.0, null, null, null, stop, null, Map.of());
    }

    private static ObjectNode body(String model) {
        return JSON.createObjectNode().put("model", model).put("max_tokens", 32)
                .put("temperature", 0).put("return_token_ids", true);
    }

    private static List<Integer> ids(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(id -> ids.add(id.asInt()));
        return ids;
    }

    private JsonNode post(String url, JsonNode body) throws Exception {
        HttpResponse<String> answer = send(url, body.toString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(String url, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
