package io.jinference.modelhost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.LoadRequest;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LoopbackPorts;
import io.jinference.engine.support.OpenAiProxyModel;
import io.jinference.engine.support.ServerOptions;
import io.jinference.runtime.ModelIsolation;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the models of engines with native code each in a model host: a child JVM with Felix and only that engine's
 * bundles, which loads the one model and serves it on loopback with the server's own REST wire (OpenAI and
 * Xinference routes). The server supervises it like any engine server (readiness on {@code /status}, liveness,
 * restart with backoff, logs, no orphans) and reaches it through the managed servers' OpenAI proxy. A native abort
 * (a GGML_ASSERT, a damaged GGUF) then kills the model host, never the server.
 */
public final class ModelHosts implements ModelIsolation {
    private static final Logger LOG = LoggerFactory.getLogger(ModelHosts.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * ggml answers a failed assertion by attaching gdb for a backtrace of every thread, which buries the one line
     * that says what failed (the GGML_ASSERT) under a hundred lines of frames; the failure shows the last lines.
     */
    private static final Map<String, String> NO_GDB_BACKTRACE = Map.of("GGML_NO_BACKTRACE", "1");

    private final ModelHostCommand command;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    public ModelHosts(ModelHostCommand command) {
        this.command = command;
    }

    @Override
    public boolean isolates(Bundle engineBundle) {
        return EngineWiring.needsModelHost(engineBundle);
    }

    @Override
    public RunningModel load(LoadRequest request, Bundle engineBundle, EngineContext context) {
        List<Bundle> bundles = EngineWiring.closure(engineBundle);
        Path exports = context.home().resolve("cache").resolve("model-host-bundles");
        List<Path> jars = bundles.stream().map(bundle -> BundleJars.jarFor(bundle, exports)).toList();
        int port = LoopbackPorts.free();
        ModelHostSpec spec = new ModelHostSpec(withoutSupervisionKeys(request), engineBundle.getSymbolicName(),
                engineBundle.getVersion().toString(), jars, context.home(), context.host(), port);
        Path specFile = ModelHostSpecFile.write(context.workDir(), spec);
        URI baseUrl = URI.create("http://127.0.0.1:" + port);
        Map<String, String> environment = new HashMap<>(command.environment());
        environment.putAll(NO_GDB_BACKTRACE);
        ProcessSpec process = new ProcessSpec(request.modelUid(), command.argv(specFile), environment,
                context.workDir(), baseUrl.resolve("/status"), ServerOptions.launchTimeout(request),
                ServerOptions.LIVENESS_INTERVAL, ServerOptions.maxRestarts(request), ServerOptions.RESTART_BACKOFF);
        LoadFailureFile.clear(context.workDir());
        ManagedProcess child = context.processes().start(process);
        try {
            child.awaitReady();
        } catch (EngineException e) {
            child.close();
            // The engine's own refusal when the model host could give it; a native abort's last log lines else.
            throw LoadFailureFile.read(context.workDir())
                    .map(reason -> new EngineException(EngineException.Kind.LOAD_FAILED, reason))
                    .orElse(e);
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("model_host", true);
        description.put("model_host_bundles", bundles.stream()
                .map(bundle -> bundle.getSymbolicName() + " " + bundle.getVersion()).toList());
        description.putAll(engineDetails(baseUrl, request.modelUid()));
        return new OpenAiProxyModel(child, baseUrl, request.modelUid(), description);
    }

    /** The launch keys the server's supervision reads are not the engine's. */
    private static LoadRequest withoutSupervisionKeys(LoadRequest request) {
        Map<String, Object> options = new HashMap<>(request.options());
        ServerOptions.SUPERVISION_KEYS.forEach(options::remove);
        return new LoadRequest(request.modelUid(), request.family(), request.spec(), request.quantization(),
                request.modelPath(), options, request.gpuIndexes());
    }

    /** The engine's own facts about the loaded model, as the model host describes it. */
    private Map<String, Object> engineDetails(URI baseUrl, String uid) {
        URI describe = baseUrl.resolve("/v1/models/" + URLEncoder.encode(uid, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(describe).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            JsonNode details = JSON.readTree(response.body()).path("engine_details");
            if (details.isObject()) {
                @SuppressWarnings("unchecked")
                Map<String, Object> facts = JSON.convertValue(details, Map.class);
                return facts;
            }
        } catch (IOException e) {
            LOG.warn("Model host of {} did not describe its model: {}", uid, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of();
    }
}
