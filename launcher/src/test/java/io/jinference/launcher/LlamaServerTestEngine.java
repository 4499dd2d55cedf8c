package io.jinference.launcher;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.HostProfile;
import io.jinference.api.InferenceEngine;
import io.jinference.api.LoadRequest;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.ProbeResult;
import io.jinference.api.RunningModel;
import io.jinference.api.process.ProcessSpec;
import io.jinference.engine.support.LoopbackPorts;
import io.jinference.engine.support.ManagedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The glue a llama-server engine bundle provides, reduced to what these tests need, so that they do not depend on
 * that bundle: it starts the real {@code llama-server} through the host's process supervisor
 * ({@link ManagedServer#launch}) and serves it as an {@code OpenAiProxyModel}, exactly as the production engines
 * do. The server knows the model by its UID ({@code --alias}). Between Jinference and the server sits a
 * {@link LoopbackTap}, so that the tests can see what the server received.
 */
final class LlamaServerTestEngine implements InferenceEngine {
    static final String NAME = "llama-server-test";

    private final Path binary;
    private final Map<String, LoopbackTap> taps = new ConcurrentHashMap<>();
    private final Map<String, URI> direct = new ConcurrentHashMap<>();

    LlamaServerTestEngine(Path binary) {
        this.binary = binary;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ProbeResult probe(HostProfile host) {
        return ProbeResult.available("llama-server at " + binary);
    }

    @Override
    public RunningModel load(LoadRequest request, EngineContext context) {
        String uid = request.modelUid();
        int port = LoopbackPorts.free();
        URI server = URI.create("http://127.0.0.1:" + port);
        List<String> command = List.of(binary.toString(), "-m", request.modelPath().toString(),
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--alias", uid, "-np", "4", "-c", "4096",
                "--jinja", "--slots", "-t", "2");
        ProcessSpec spec = new ProcessSpec(uid, command, Map.of(), context.workDir(), server.resolve("/health"),
                Duration.ofMinutes(2), Duration.ofSeconds(1), 0, Duration.ofSeconds(1));
        LoopbackTap tap;
        try {
            tap = new LoopbackTap(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        taps.put(uid, tap);
        direct.put(uid, server);
        try {
            // As the production engine states it: llama-server closes its connection after each stream.
            return ManagedServer.launch(context, spec, new OpenAiUpstream(tap.uri(), uid, true),
                    Map.of("engine", NAME, "binary", binary.toString()));
        } catch (EngineException e) {
            closeTap(uid);
            throw e;
        }
    }

    /** The tap between Jinference and this model's server. */
    LoopbackTap tap(String uid) {
        return taps.get(uid);
    }

    /** The server's own address, bypassing Jinference and the tap (for {@code /slots}). */
    URI direct(String uid) {
        return direct.get(uid);
    }

    void closeTaps() {
        taps.keySet().forEach(this::closeTap);
    }

    private void closeTap(String uid) {
        LoopbackTap tap = taps.remove(uid);
        if (tap != null) {
            try {
                tap.close();
            } catch (IOException ignored) {
                // The test is over.
            }
        }
    }
}
