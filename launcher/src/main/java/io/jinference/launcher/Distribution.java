package io.jinference.launcher;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The installed distribution: {@code bin/jinf}, {@code lib/} (this class path), {@code system/} (SCR and its API
 * bundles) and {@code engines/} (the engine bundles). {@code bin/jinf} passes the root as
 * {@code -Djinference.dist}; otherwise it is the parent of the folder holding the launcher jar.
 */
public record Distribution(Path root) {
    static final String ROOT_PROPERTY = "jinference.dist";

    public static Distribution locate() {
        String property = System.getProperty(ROOT_PROPERTY);
        if (property != null && !property.isBlank()) {
            return new Distribution(Path.of(property).toAbsolutePath());
        }
        try {
            Path jar = Path.of(Distribution.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return new Distribution(jar.getParent().getParent());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the distribution", e);
        }
    }

    /** Bundle folders in install order: the system bundles, the distribution's engines, then the home's bundles. */
    public List<Path> bundleFolders(Path home) {
        return List.of(root.resolve("system"), root.resolve("engines"), home.resolve("bundles"));
    }

    public boolean hasEngines() {
        return Files.isDirectory(root.resolve("engines"));
    }
}
