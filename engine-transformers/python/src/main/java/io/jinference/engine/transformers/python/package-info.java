/**
 * The Transformers engine's Python backend: Hugging Face transformers in a managed OpenAI-compatible server process
 * per model, proxied by the host. Private to the bundle.
 */
package io.jinference.engine.transformers.python;
