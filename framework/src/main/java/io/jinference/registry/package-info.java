/**
 * The selection registry: reads the {@code io.jinference.engine} capabilities of every installed engine bundle, matches
 * them with OSGi filters against a model and a host, adds the engines' runtime probes, and chooses an engine by policy.
 * Private to the host.
 */
package io.jinference.registry;
