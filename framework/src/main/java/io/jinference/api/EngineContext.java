package io.jinference.api;

import java.nio.file.Path;
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
}
