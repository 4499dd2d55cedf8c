package io.jinference.metrics;

import io.jinference.api.OpenAiUpstream;
import io.jinference.api.RunningModel;
import io.jinference.runtime.ModelInstance;
import io.jinference.runtime.ModelManager;
import io.jinference.runtime.ModelState;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine servers' own metrics (llama-server's {@code --metrics}, vLLM's and SGLang's {@code /metrics}), read
 * from every ready model served by such a server and re-exposed with {@code model_uid} and {@code engine} labels.
 * A server without metrics (a model host answers 404) adds nothing; one that does not answer in time is skipped
 * for this scrape. Their queue lengths are also given under one name for every engine,
 * {@code jinference_model_requests_queued} ({@link EngineQueue}).
 */
final class EngineServerMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(EngineServerMetrics.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private static final String QUEUED = "jinference_model_requests_queued";
    private static final String QUEUED_DESCRIPTION = "# HELP " + QUEUED + " Requests waiting for a slot in the model's"
            + " engine server (its own queue metric)\n# TYPE " + QUEUED + " gauge\n";
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT).build();
    private final ModelManager models;

    EngineServerMetrics(ModelManager models) {
        this.models = models;
    }

    String scrape() {
        PrometheusRelabel merged = new PrometheusRelabel();
        StringBuilder queued = new StringBuilder();
        for (ModelInstance instance : models.list()) {
            if (instance.state() != ModelState.READY) {
                continue;
            }
            String text = serverMetrics(instance);
            if (text != null) {
                merged.add(text, "model_uid", instance.uid(), "engine", instance.engine());
                EngineQueue.waiting(text).ifPresent(waiting -> queued.append(QUEUED).append("{model_uid=\"")
                        .append(PrometheusRelabel.escape(instance.uid())).append("\",engine=\"")
                        .append(PrometheusRelabel.escape(instance.engine())).append("\"} ").append(waiting)
                        .append('\n'));
            }
        }
        return merged.text() + (queued.isEmpty() ? "" : QUEUED_DESCRIPTION + queued);
    }

    private String serverMetrics(ModelInstance instance) {
        AtomicReference<String> text = new AtomicReference<>();
        try {
            RunningModel model = instance.readyModel();
            model.forward(upstream -> text.set(fetch(upstream)));
        } catch (RuntimeException notServing) {
            LOG.debug("No engine server metrics for {}: {}", instance.uid(), notServing.getMessage());
        }
        return text.get();
    }

    private String fetch(OpenAiUpstream upstream) {
        HttpRequest request = HttpRequest.newBuilder(upstream.baseUrl().resolve("/metrics")).timeout(TIMEOUT)
                .header("Accept", "text/plain").GET().build();
        try {
            HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (var body = response.body()) {
                if (response.statusCode() != 200) {
                    return null;
                }
                return new String(body.readNBytes(MAX_BYTES), java.nio.charset.StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
