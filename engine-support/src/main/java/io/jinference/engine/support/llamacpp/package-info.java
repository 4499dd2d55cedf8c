/**
 * Where a {@code llama-server} binary comes from and what it can do: a configured binary, else a runtime that
 * {@code jinf runtimes install llama.cpp} built under the Jinference home, described by the {@code runtime.json}
 * written beside it. Shared by the llama.cpp server engine bundle (which embeds it privately) and the launcher.
 */
package io.jinference.engine.support.llamacpp;
