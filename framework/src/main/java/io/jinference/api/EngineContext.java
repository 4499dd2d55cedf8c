package io.jinference.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import io.jinference.api.process.ProcessLauncher;
import org.osgi.annotation.versioning.ProviderType;

/** What the host lends an engine for one load. Grows by default methods, so engines never implement it. */
@ProviderType
public interface EngineContext {
    /** The Jinference home folder ({@code $JINFERENCE_HOME}, default {@code ~/.jinference}). */
    Path home();

    /** A folder of this model's own (logs, scratch files); it exists. */
    Path workDir();

    /** The host the model runs on. */
    HostProfile host();

    /**
     * Renders a Jinja chat template (from a GGUF, a {@code tokenizer_config.json} or the catalog) with the host's
     * Jinja engine, so that engines need no template library of their own.
     *
     * @param variables extra template variables: {@code bos_token}, {@code eos_token}, {@code add_generation_prompt}, …
     * @throws EngineException {@link EngineException.Kind#INVALID_REQUEST} when the template fails to render
     */
    String renderChatTemplate(String template, List<ChatMessage> messages, Map<String, Object> variables);

    /**
     * Starts and supervises child processes (engine servers such as vLLM) for this model: logs under the home,
     * readiness, death detection, restarts, and no child outliving the host.
     *
     * @throws EngineException {@link EngineException.Kind#UNSUPPORTED} when this host runs no child processes
     */
    default ProcessLauncher processes() {
        throw new EngineException(EngineException.Kind.UNSUPPORTED, "This host does not run engine processes");
    }
}
