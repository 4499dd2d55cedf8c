/**
 * Code shared by the engines that run a model in a managed OpenAI-compatible server (vLLM, SGLang, mlx_lm):
 * the proxy that forwards requests and streams, launch-flag building, the Python runtime lookup. Each engine
 * bundle embeds this package privately; it is never exported.
 */
package io.jinference.engine.support;
