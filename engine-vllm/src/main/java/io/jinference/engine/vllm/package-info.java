/** The vLLM engine: a managed vLLM OpenAI server per model, proxied by the host. Private to the bundle. */
package io.jinference.engine.vllm;
