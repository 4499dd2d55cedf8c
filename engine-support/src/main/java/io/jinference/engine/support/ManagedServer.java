package io.jinference.engine.support;

import io.jinference.api.EngineContext;
import io.jinference.api.EngineException;
import io.jinference.api.OpenAiUpstream;
import io.jinference.api.process.ManagedProcess;
import io.jinference.api.process.ProcessSpec;
import java.net.URI;
import java.util.Map;

/** Starts an engine server through the host's supervisor, waits until it serves, and wraps it as a model. */
public final class ManagedServer {
    private ManagedServer() {
    }

    /**
     * @throws EngineException {@code LOAD_FAILED} with the server's last log lines when it dies or times out
     */
    public static OpenAiProxyModel launch(EngineContext context, ProcessSpec spec, URI baseUrl, String upstreamModel,
            Map<String, Object> description) {
        return launch(context, spec, new OpenAiUpstream(baseUrl, upstreamModel), description);
    }

    /** {@link #launch}, for a server whose connection habits {@code upstream} states. */
    public static OpenAiProxyModel launch(EngineContext context, ProcessSpec spec, OpenAiUpstream upstream,
            Map<String, Object> description) {
        ManagedProcess process = context.processes().start(spec);
        try {
            process.awaitReady();
        } catch (EngineException e) {
            process.close();
            throw e;
        }
        return new OpenAiProxyModel(process, upstream, description);
    }
}
