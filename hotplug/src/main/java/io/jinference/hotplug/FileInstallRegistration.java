package io.jinference.hotplug;

import java.io.File;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.stream.Stream;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;

/**
 * Apache Felix FileInstall watching the bundle folder with a {@link FolderArtifactInstaller} as its
 * {@code org.apache.felix.fileinstall.ArtifactInstaller} service.
 *
 * <p>FileInstall casts the services it tracks to its own {@code ArtifactInstaller} class. Its manifest exports
 * {@code org.apache.felix.fileinstall} but does not import it, so a system-bundle export of a host copy would never be
 * wired to FileInstall and the cast would fail. The simplest way to hand it a service of its own class, without a
 * third bundle module, is a {@link Proxy} of the interface loaded from the FileInstall bundle, delegating the four
 * calls to the host-side installer. FileInstall therefore stays a plain bundle of {@code system/}, off the host class
 * path, and it must be started only after the service is registered (see {@link #start}), or it would install the
 * folder's jars itself.
 */
public final class FileInstallRegistration implements AutoCloseable {

    public static final String SYMBOLIC_NAME = "org.apache.felix.fileinstall";
    private static final String ARTIFACT_INSTALLER = "org.apache.felix.fileinstall.ArtifactInstaller";

    private final ServiceRegistration<?> registration;
    private final Bundle fileInstall;

    private FileInstallRegistration(ServiceRegistration<?> registration, Bundle fileInstall) {
        this.registration = registration;
        this.fileInstall = fileInstall;
    }

    /**
     * The framework properties FileInstall reads at start: the folder, polled every {@code pollMillis}, scanned at once
     * (no initial delay), and only errors logged (FileInstall logs to standard output without a LogService).
     */
    public static Map<String, String> frameworkProperties(Path folder, long pollMillis) {
        return Map.of(
                "felix.fileinstall.dir", folder.toAbsolutePath().toString(),
                "felix.fileinstall.poll", Long.toString(pollMillis),
                "felix.fileinstall.noInitialDelay", "true",
                "felix.fileinstall.log.level", "1");
    }

    /**
     * Registers {@code installer} as the highest-ranked ArtifactInstaller (FileInstall asks installers in ranking
     * order), then starts the installed but not yet started FileInstall bundle.
     */
    public static FileInstallRegistration start(BundleContext context, FolderArtifactInstaller installer)
            throws BundleException {
        Bundle fileInstall = Stream.of(context.getBundles())
                .filter(bundle -> SYMBOLIC_NAME.equals(bundle.getSymbolicName())).findFirst()
                .orElseThrow(() -> new BundleException("The " + SYMBOLIC_NAME + " bundle is not installed"));
        Class<?> artifactInstaller;
        try {
            artifactInstaller = fileInstall.loadClass(ARTIFACT_INSTALLER);
        } catch (ClassNotFoundException e) {
            throw new BundleException("FileInstall has no " + ARTIFACT_INSTALLER, e);
        }
        Object service = Proxy.newProxyInstance(artifactInstaller.getClassLoader(), new Class<?>[] {artifactInstaller},
                new Delegation(installer));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, Integer.MAX_VALUE);
        ServiceRegistration<?> registration = context.registerService(ARTIFACT_INSTALLER, service, properties);
        try {
            fileInstall.start();
        } catch (BundleException | RuntimeException e) {
            registration.unregister();
            throw e;
        }
        return new FileInstallRegistration(registration, fileInstall);
    }

    /** Stops watching: FileInstall stops first so that it hands nothing more to the installer. */
    @Override
    public void close() {
        try {
            fileInstall.stop();
        } catch (BundleException | IllegalStateException e) {
            // The framework is already stopping or the bundle is gone: nothing is watched any more either way.
        }
        try {
            registration.unregister();
        } catch (IllegalStateException alreadyGone) {
            // Unregistered with the framework's shutdown.
        }
    }

    /** The interface's four methods, plus Object's, answered by the host-side installer. */
    private record Delegation(FolderArtifactInstaller installer) implements InvocationHandler {
        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "canHandle":
                    return installer.canHandle((File) args[0]);
                case "install":
                    installer.install((File) args[0]);
                    return null;
                case "update":
                    installer.update((File) args[0]);
                    return null;
                case "uninstall":
                    installer.uninstall((File) args[0]);
                    return null;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                default:
                    return "ArtifactInstaller of the bundle folder";
            }
        }
    }
}
