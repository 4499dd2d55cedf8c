package io.jinference.launcher;

import io.jinference.api.InferenceEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The {@code io.jinference.api*} packages with their versions, read from the framework bundle's own
 * {@code Export-Package} header (bnd writes it from the packages' {@code @Version}), so that the system bundle
 * exports exactly what an engine bundle built against the API imports.
 */
final class ApiExports {
    private static final String API_PACKAGE = InferenceEngine.class.getPackageName();

    private ApiExports() {
    }

    /** The value for {@code org.osgi.framework.system.packages.extra}. */
    static String systemPackagesExtra() {
        String exportPackage = frameworkManifest().getMainAttributes().getValue("Export-Package");
        if (exportPackage == null) {
            throw new IllegalStateException("The framework jar has no Export-Package header; was it built by bnd?");
        }
        List<String> exports = new ArrayList<>();
        for (String clause : splitClauses(exportPackage)) {
            String packageName = clause.split(";", 2)[0].trim();
            if (packageName.equals(API_PACKAGE) || packageName.startsWith(API_PACKAGE + ".")) {
                exports.add(packageName + versionOf(clause));
            }
        }
        return String.join(",", exports);
    }

    private static String versionOf(String clause) {
        for (String attribute : clause.split(";")) {
            String trimmed = attribute.trim();
            if (trimmed.startsWith("version=")) {
                return ";version=" + trimmed.substring("version=".length()).replace("\"", "");
            }
        }
        return "";
    }

    /** Splits a manifest header at the commas that are not inside quotes. */
    static List<String> splitClauses(String header) {
        List<String> clauses = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (char c : header.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == ',' && !quoted) {
                clauses.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        clauses.add(current.toString());
        return clauses;
    }

    private static Manifest frameworkManifest() {
        try {
            Path location = Path.of(InferenceEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(location)) {
                try (InputStream in = Files.newInputStream(location.resolve("META-INF/MANIFEST.MF"))) {
                    return new Manifest(in);
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the framework's manifest", e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the framework jar", e);
        }
    }
}
