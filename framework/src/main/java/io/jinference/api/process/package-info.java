/**
 * Managed child processes for engines that run a model in a server of their own (vLLM, SGLang, mlx_lm).
 *
 * <p>The host owns every child: it captures logs, waits for readiness, notices a death, restarts with backoff and
 * kills all children when it stops. Engines only describe what to start ({@link ProcessSpec}).
 */
@Export
@Version("1.0.0")
package io.jinference.api.process;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
