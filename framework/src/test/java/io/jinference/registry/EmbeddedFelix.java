package io.jinference.registry;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;

/** A real Felix for tests, exporting io.jinference.api from the system bundle as the launcher does (DESIGN "Host outside"). */
final class EmbeddedFelix implements AutoCloseable {
    private final Framework framework;

    EmbeddedFelix(Path storage) throws BundleException {
        framework = new FrameworkFactory().newFramework(Map.of(
                Constants.FRAMEWORK_STORAGE, storage.toString(),
                Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT,
                Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "io.jinference.api;version=" + apiVersion()));
        framework.start();
    }

    /**
     * The API package's version as its package-info declares it, which is what test bundles built by bnd import:
     * the framework jar (whose Export-Package the launcher reads) does not exist yet when these tests run.
     */
    private static String apiVersion() {
        try {
            Matcher version = Pattern.compile("@Version\\(\"([0-9.]+)\"\\)").matcher(
                    Files.readString(Path.of("src/main/java/io/jinference/api/package-info.java")));
            if (!version.find()) {
                throw new IllegalStateException("io.jinference.api's package-info has no @Version");
            }
            return version.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Bundle install(File jar) throws BundleException {
        return context().installBundle(jar.toURI().toString());
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
