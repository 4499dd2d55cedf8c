package io.jinference.modelhost;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Optional;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

/**
 * The jar a model host installs for a bundle of the server: the very bytes of the bundle's current revision. The jar
 * the bundle was installed from serves when it still holds that revision (the distribution's bundles); a bundle
 * updated since (a hot-swapped adapter) is written out from its revision's entries into a cache under the home.
 */
final class BundleJars {
    private static final String MANIFEST = "META-INF/MANIFEST.MF";

    private BundleJars() {
    }

    static Path jarFor(Bundle bundle, Path cache) {
        return installedJar(bundle).filter(jar -> holdsRevision(jar, bundle)).orElseGet(() -> exported(bundle, cache));
    }

    /** The file the bundle's location names: a file URI, or the bundle store's "scheme:store/absolute path". */
    static Optional<Path> installedJar(Bundle bundle) {
        String location = bundle.getLocation();
        if (location.startsWith("file:")) {
            Path file = Path.of(URI.create(location));
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        }
        for (int slash = location.indexOf('/'); slash >= 0; slash = location.indexOf('/', slash + 1)) {
            Path candidate = Path.of(location.substring(slash));
            if (candidate.isAbsolute() && Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static boolean holdsRevision(Path jar, Bundle bundle) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            if (manifest == null) {
                return false;
            }
            Attributes main = manifest.getMainAttributes();
            String symbolicName = main.getValue(Constants.BUNDLE_SYMBOLICNAME);
            String version = main.getValue(Constants.BUNDLE_VERSION);
            return symbolicName != null && version != null
                    && symbolicName.split(";", 2)[0].trim().equals(bundle.getSymbolicName())
                    && Version.parseVersion(version.trim()).equals(bundle.getVersion());
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** The revision's entries as a jar, manifest first; written once per bundle, version and modification. */
    private static Path exported(Bundle bundle, Path cache) {
        Path jar = cache.resolve(bundle.getSymbolicName() + "-" + bundle.getVersion() + "-" + bundle.getLastModified()
                + ".jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        try {
            Files.createDirectories(cache);
            Path partial = Files.createTempFile(cache, "export", ".partial");
            try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
                for (String name : entryNames(bundle)) {
                    out.putNextEntry(new ZipEntry(name));
                    if (!name.endsWith("/")) {
                        try (InputStream in = bundle.getEntry(name).openStream()) {
                            in.transferTo(out);
                        }
                    }
                    out.closeEntry();
                }
            }
            Files.move(partial, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + bundle.getSymbolicName() + " " + bundle.getVersion()
                    + " for a model host into " + cache, e);
        }
    }

    private static List<String> entryNames(Bundle bundle) {
        List<String> names = new ArrayList<>(List.of(MANIFEST));
        Enumeration<URL> entries = bundle.findEntries("/", "*", true);
        for (URL entry : entries == null ? Collections.<URL>emptyList() : Collections.list(entries)) {
            String name = entry.getPath().startsWith("/") ? entry.getPath().substring(1) : entry.getPath();
            if (!name.isEmpty() && !name.equals(MANIFEST)) {
                names.add(name);
            }
        }
        return names;
    }
}
