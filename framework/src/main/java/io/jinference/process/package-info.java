/**
 * The host's supervisor of engine child processes (private to the framework): implements
 * {@link io.jinference.api.process.ProcessLauncher}.
 */
package io.jinference.process;
