/** The llama.cpp engine's server backend: a managed llama-server per GGUF model, proxied by the host. Private. */
package io.jinference.engine.llamacpp.server;
