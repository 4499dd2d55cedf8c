package io.jinference.hotplug;

import io.jinference.hotplug.BundleRejectedException.Problem;
import java.io.IOException;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/** A jar file checked to be an OSGi bundle before the framework sees it: what it is called and which version. */
record BundleJar(Path file, String symbolicName, Version version) {

    static BundleJar read(Path file, String displayName) {
        Manifest manifest;
        try (JarFile jar = new JarFile(file.toFile())) {
            manifest = jar.getManifest();
        } catch (IOException e) {
            throw new BundleRejectedException(Problem.NOT_A_JAR, displayName + " is not a jar file (" + e.getMessage() + ")");
        }
        if (manifest == null) {
            throw new BundleRejectedException(Problem.NOT_A_BUNDLE, displayName + " is a jar without a manifest, "
                    + "not an OSGi bundle");
        }
        Attributes main = manifest.getMainAttributes();
        String name = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
        if (name == null || !"2".equals(main.getValue(Constants.BUNDLE_MANIFESTVERSION))) {
            throw new BundleRejectedException(Problem.NOT_A_BUNDLE, displayName + " is a plain jar, not an OSGi "
                    + "bundle (its manifest needs Bundle-ManifestVersion: 2 and a Bundle-SymbolicName)");
        }
        try {
            return new BundleJar(file, name.split(";")[0].trim(), Version.parseVersion(main.getValue(Constants.BUNDLE_VERSION)));
        } catch (IllegalArgumentException e) {
            throw new BundleRejectedException(Problem.INVALID_HEADER, displayName + " has an invalid Bundle-Version: "
                    + e.getMessage());
        }
    }

    String label() {
        return symbolicName + " " + version;
    }
}
