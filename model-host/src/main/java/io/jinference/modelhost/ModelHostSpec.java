package io.jinference.modelhost;

import io.jinference.api.HostProfile;
import io.jinference.api.LoadRequest;
import java.nio.file.Path;
import java.util.List;

/**
 * What a model host needs to serve its one model, written by the server as {@code model-host.json} in the model's
 * work folder: the load request exactly as the server resolved it (family, spec, file, options), the engine bundle
 * and the bundles it is wired to, and where to serve. Never built from request strings into paths: the server
 * resolved every path before.
 *
 * @param request the load request the engine receives
 * @param engineSymbolicName the engine bundle's symbolic name
 * @param engineBundleVersion the engine bundle's exact version
 * @param bundles the jars to install, the engine bundle and everything it is wired to
 * @param home the server's Jinference home (engines keep caches there)
 * @param host the host profile the server probed
 * @param port the loopback port to serve on
 */
public record ModelHostSpec(LoadRequest request, String engineSymbolicName, String engineBundleVersion,
        List<Path> bundles, Path home, HostProfile host, int port) {

    public ModelHostSpec {
        bundles = List.copyOf(bundles);
    }
}
