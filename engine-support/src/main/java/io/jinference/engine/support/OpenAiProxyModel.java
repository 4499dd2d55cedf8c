package io.jinference.engine.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.jinference.api.ChatRequest;
import io.jinference.api.CompletionRequest;
import io.jinference.api.EmbeddingRequest;
import io.jinference.api.Embeddings;
import io.jinference.api.EngineException;
import io.jinference.api.FinishReason;
import io.jinference.api.Generation;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.api.TokenLogprob;
import io.jinference.api.TokenSink;
import io.jinference.api.Usage;
import io.jinference.api.process.ManagedProcess;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A model served by a managed OpenAI-compatible engine server. Requests go to the server over loopback; generated
 * text is streamed upstream and handed to the {@link TokenSink} chunk by chunk. The server knows the model by
 * {@code upstreamModel} (vLLM's {@code --served-model-name}, mlx_lm's {@code default_model}); clients only ever see
 * the Jinference UID, which the host writes. While the process is not {@code READY} every request is refused at
 * once with {@link EngineException.Kind#UNAVAILABLE} (HTTP 503), never left to hang.
 *
 * <p>The host's REST API does not go through {@link #chat} and {@link #complete}: it {@link #forward forwards} the
 * client's request to the server as it is and copies the answer's bytes back. The typed calls remain for callers
 * inside the JVM (tests, the engine kit).
 */
public final class OpenAiProxyModel implements RunningModel {
    /** How many of the server's last log lines a model description shows ({@code GET /v1/models/{uid}}). */
    private static final int RECENT_LOG_LINES = 20;

    private final ManagedProcess process;
    private final OpenAiUpstream upstream;
    private final Map<String, Object> description;
    private final HttpClient http;

    /**
     * @param baseUrl the server's root, e.g. {@code http://127.0.0.1:41234}
     * @param description engine facts for {@link #describe()} (engine version, command, …)
     */
    public OpenAiProxyModel(ManagedProcess process, URI baseUrl, String upstreamModel, Map<String, Object> description) {
        this(process, new OpenAiUpstream(baseUrl, upstreamModel), description);
    }

    /** A model on a server whose connection habits {@code upstream} states ({@link OpenAiUpstream#closesAfterStream}). */
    public OpenAiProxyModel(ManagedProcess process, OpenAiUpstream upstream, Map<String, Object> description) {
        this.process = process;
        this.upstream = upstream;
        this.description = Map.copyOf(description);
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    @Override
    public Generation chat(ChatRequest request, TokenSink sink) {
        return stream("/v1/chat/completions", OpenAiJson.chatBody(upstream.model(), request), sink);
    }

    @Override
    public Generation complete(CompletionRequest request, TokenSink sink) {
        return stream("/v1/completions", OpenAiJson.completionBody(upstream.model(), request), sink);
    }

    @Override
    public Embeddings embed(EmbeddingRequest request) {
        HttpResponse<InputStream> response = send("/v1/embeddings", OpenAiJson.embeddingBody(upstream.model(), request));
        JsonNode body = OpenAiJson.parse(readAll(response.body()));
        List<float[]> vectors = new ArrayList<>();
        for (JsonNode item : body.path("data")) {
            JsonNode values = item.path("embedding");
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.path(i).asDouble();
            }
            vectors.add(vector);
        }
        return new Embeddings(vectors, body.path("usage").path("prompt_tokens").asInt());
    }

    /**
     * Runs the host's exchange against the server. The exchange throws {@link UncheckedIOException} when the server
     * stops answering; that becomes {@code UNAVAILABLE} with the process's last failure, if it died.
     */
    @Override
    public boolean forward(Consumer<OpenAiUpstream> exchange) {
        requireServing();
        try {
            exchange.accept(upstream);
        } catch (UncheckedIOException e) {
            throw unavailable("stopped answering (" + e.getCause().getMessage() + ")");
        }
        return true;
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> facts = new LinkedHashMap<>(description);
        facts.put("server_url", upstream.baseUrl().toString());
        facts.put("process_state", process.state().name());
        facts.put("process_pid", process.pid());
        facts.put("process_generation", process.generation());
        facts.put("log_file", process.logFile().toString());
        facts.put("recent_log", process.lastLogLines(RECENT_LOG_LINES));
        if (process.failure() != null) {
            facts.put("last_failure", process.failure());
        }
        return facts;
    }

    /** The process this model is served by. */
    public ManagedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }

    private Generation stream(String path, String body, TokenSink sink) {
        HttpResponse<InputStream> response = send(path, body);
        FinishReason finish = null;
        Usage usage = null;
        // Closing the body stream aborts the HTTP exchange, which is how the server learns the client went away.
        try (InputStream stream = response.body(); SseReader events = new SseReader(stream)) {
            for (String data = events.next(); data != null; data = events.next()) {
                if (sink.isCancelled()) {
                    return new Generation(FinishReason.CANCELLED, usage == null ? new Usage(0, 0) : usage);
                }
                JsonNode chunk = OpenAiJson.parse(data);
                if (chunk.has("error")) {
                    throw new EngineException(EngineException.Kind.INTERNAL,
                            "The engine server failed: " + OpenAiJson.errorMessage(data));
                }
                String text = OpenAiJson.deltaText(chunk);
                if (!text.isEmpty()) {
                    sink.onText(text);
                }
                List<TokenLogprob> logprobs = OpenAiJson.logprobs(chunk);
                if (!logprobs.isEmpty()) {
                    sink.onLogprobs(logprobs);
                }
                OpenAiJson.toolCallDeltas(chunk).forEach(sink::onToolCall);
                finish = OpenAiJson.finishReason(chunk) != null ? OpenAiJson.finishReason(chunk) : finish;
                usage = OpenAiJson.usage(chunk) != null ? OpenAiJson.usage(chunk) : usage;
            }
            if (!events.done() && finish == null) {
                throw unavailable("ended the stream before the generation finished");
            }
        } catch (IOException e) {
            throw unavailable("stopped answering during generation (" + e.getMessage() + ")");
        }
        return new Generation(finish == null ? FinishReason.STOP : finish, usage == null ? new Usage(0, 0) : usage);
    }

    private void requireServing() {
        if (process.state() != ManagedProcess.State.READY) {
            throw unavailable("is not serving (" + process.state().name().toLowerCase() + ")");
        }
    }

    private HttpResponse<InputStream> send(String path, String body) {
        requireServing();
        HttpRequest request = HttpRequest.newBuilder(upstream.baseUrl().resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unavailable("did not answer (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("request was interrupted");
        }
        int status = response.statusCode();
        if (status / 100 != 2) {
            String message = OpenAiJson.errorMessage(readAll(response.body()));
            if (status / 100 == 4 && status != 404) {
                throw new EngineException(EngineException.Kind.INVALID_REQUEST, message);
            }
            throw unavailable("answered HTTP " + status + ": " + message);
        }
        return response;
    }

    private EngineException unavailable(String what) {
        String failure = process.failure();
        boolean failed = process.state() == ManagedProcess.State.FAILED && failure != null;
        return new EngineException(EngineException.Kind.UNAVAILABLE, "The engine server of " + process.name() + " "
                + what + (failed ? ". Last failure: " + failure : ""));
    }

    private static String readAll(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
